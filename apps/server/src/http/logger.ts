import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/index.js';

/**
 * Structured JSON logs. Credentials never reach a log line: headers that carry them are redacted,
 * and request lines log the path only (a query string may carry a code, a state or a token).
 */
export function createLogger(level: LogLevel, traceFields?: () => Record<string, string>): Logger {
  return pino({
    level,
    // With tracing on: trace_id and span_id on every line written inside a span.
    ...(traceFields && { mixin: traceFields }),
    base: { service: 'tessera' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.clientSecret',
        '*.client_secret',
        '*.token',
        '*.access_token',
        '*.refresh_token',
        '*.url',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url?.split('?')[0],
        ip: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  });
}
