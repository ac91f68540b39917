import { type Logger, pino } from "pino";

/** JSON logs; secrets are redacted by path so a careless debug line cannot leak them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        "*.appSecret",
        "*.app_secret",
        "*.encryptKey",
        "*.token",
        "*.tenant_access_token",
        "headers.authorization",
      ],
      censor: "***",
    },
  });
}
