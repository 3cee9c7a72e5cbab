/** What a surface decides about the validation handshake; subscriptions/handshake.ts runs it. */
export interface HandshakeRules {
  /** `validationtoken` (SharePoint, lower case) or `validationToken` (Graph, native). */
  parameter: string;
  timeoutMs: number;
  /** Content-Type of the handshake request (Graph sends text/plain); none when absent. */
  contentType?: string;
  /** Makes the token (Graph's is text with spaces and colons, so receivers must URL-decode it); a UUID when absent. */
  makeToken?: () => string;
}
