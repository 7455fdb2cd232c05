import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface SmtpTransportOptions {
  url: string;
  poolSize: number;
}

/**
 * A pooled nodemailer transport to the smarthost: connections are reused
 * across messages (one TCP + TLS + AUTH handshake per connection, not per
 * message). Timeouts are explicit so a silent server cannot hold a job forever.
 */
export function createSmtpTransport(options: SmtpTransportOptions): Transporter<SMTPPool.SentMessageInfo> {
  return nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.poolSize,
    maxMessages: 1000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  } as SMTPPool.Options);
}
