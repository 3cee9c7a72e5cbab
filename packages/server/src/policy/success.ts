/** Which answers of a receiver count as "delivered", per platform. */

/** SharePoint, Graph, OneDrive and native: "any response with an HTTP status code outside of the 200-299 range" fails. */
export const anyTwoHundred = (status: number): boolean => status >= 200 && status < 300;

/** OneNote: "200 OK, 202 Accepted, 204 No Content"; a redirect or a 201 is a failure. */
export const oneNoteSuccess = (status: number): boolean => status === 200 || status === 202 || status === 204;
