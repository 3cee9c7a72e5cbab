/** The JSON schema a merged configuration must satisfy; error messages name the field that is off. */
const positiveInt = { type: "integer", minimum: 1 } as const;
const nonNegativeInt = { type: "integer", minimum: 0 } as const;

export const configSchema = {
  type: "object",
  additionalProperties: false,
  required: ["server", "database", "log", "handshake", "subscriptions", "surfaces", "delivery"],
  properties: {
    server: {
      type: "object",
      additionalProperties: false,
      properties: {
        host: { type: "string", minLength: 1 },
        port: { type: "integer", minimum: 0, maximum: 65535 },
        dev: { type: "boolean" },
        bodyLimitBytes: positiveInt,
        credentialsOut: { type: ["string", "null"] },
        tls: {
          type: "object",
          additionalProperties: false,
          properties: {
            certFile: { type: ["string", "null"], minLength: 1 },
            keyFile: { type: ["string", "null"], minLength: 1 },
            selfSigned: { type: "boolean" },
          },
        },
        role: { enum: ["all", "api", "dispatcher"] },
      },
    },
    database: {
      type: "object",
      additionalProperties: false,
      properties: { url: { type: "string", minLength: 1 }, poolSize: positiveInt },
    },
    adminToken: { type: ["string", "null"], minLength: 16 },
    secrets: {
      type: "object",
      additionalProperties: false,
      properties: {
        key: { type: ["string", "null"], minLength: 1 },
        keyFile: { type: ["string", "null"], minLength: 1 },
      },
    },
    log: {
      type: "object",
      additionalProperties: false,
      properties: { level: { enum: ["fatal", "error", "warn", "info", "debug", "trace", "silent"] } },
    },
    nodeId: { type: ["string", "null"] },
    handshake: {
      type: "object",
      additionalProperties: false,
      properties: { timeoutMs: positiveInt },
    },
    subscriptions: {
      type: "object",
      additionalProperties: false,
      properties: {
        maxLifetimeDays: positiveInt,
        defaultLifetimeDays: positiveInt,
        expiredGraceDays: nonNegativeInt,
      },
    },
    surfaces: {
      type: "object",
      additionalProperties: false,
      properties: {
        graph: {
          type: "object",
          additionalProperties: false,
          properties: {
            maxLifetimeMinutes: positiveInt,
            handshakeTimeoutMs: positiveInt,
            reauthorizationLeadMinutes: nonNegativeInt,
          },
        },
      },
    },
    delivery: {
      type: "object",
      additionalProperties: false,
      properties: {
        coalesceWindowMs: nonNegativeInt,
        maxBatchSize: positiveInt,
        timeoutMs: positiveInt,
        endpointConcurrency: positiveInt,
        globalConcurrency: positiveInt,
        slowAfterMs: positiveInt,
        parkAfterTimeouts: positiveInt,
        responseBodyLimitBytes: nonNegativeInt,
        pollIntervalMs: positiveInt,
        leaseMs: positiveInt,
        disableAfterDrops: positiveInt,
        nativeRetrySeconds: { type: "array", items: nonNegativeInt, minItems: 1 },
        thread: { enum: ["worker", "main"] },
      },
    },
    journal: {
      type: "object",
      additionalProperties: false,
      properties: { retentionDays: positiveInt },
    },
  },
} as const;
