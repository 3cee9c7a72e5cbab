/** The flags of `nudge listen`, as commander parses them (listen.ts) and listen-run.ts reads them. */
export interface ListenFlags {
  surface: string;
  resource?: string;
  site?: string;
  server: string;
  token?: string;
  port: string;
  host: string;
  publicUrl?: string;
  clientState?: string;
  store?: string;
  from: string;
}
