/** SharePoint's date spellings. */

/** `2016-04-27T16:17:57Z` in entities (milliseconds only when there are some). */
export function sharePointDate(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** `2016-04-30T17:27:00.0000000Z` in notifications: seven fractional digits, as .NET writes them. */
export function sharePointNotificationDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}
