import { normaliseDomain } from './domain-records';

/**
 * The `dkim` option of a nodemailer transport or message, declared here as a plain shape so
 * the package's surface carries no nodemailer types; the signing test checks it against
 * nodemailer's own type.
 */
export interface DkimSigningOptions {
  domainName: string;
  keySelector: string;
  /** PKCS#8 or PKCS#1 PEM. */
  privateKey: string;
  /** Colon-separated header names to sign; nodemailer skips the ones a message lacks. */
  headerFieldNames?: string;
}

/**
 * Headers the signature covers. RFC 6376 §5.4.1 says to sign those a receiver shows or acts
 * on: From (required, §5.4), To, Cc, Reply-To, Subject, Date and Message-ID, plus MIME-Version
 * and Content-Type so the body cannot be reinterpreted. List-Unsubscribe and
 * List-Unsubscribe-Post are included because RFC 8058 §4 honours one-click unsubscribe only
 * when the signature covers both. Headers relays commonly rewrite (Received, Return-Path) are
 * left out, or the signature would break in transit.
 */
export const DKIM_SIGNED_HEADERS = [
  'From',
  'To',
  'Cc',
  'Subject',
  'Date',
  'Message-ID',
  'Reply-To',
  'MIME-Version',
  'Content-Type',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
] as const;

/**
 * Builds nodemailer's `dkim` option for signing as `domain` with the key published at
 * `<selector>._domainkey.<domain>` (nodemailer signs rsa-sha256, relaxed/relaxed).
 *
 * @example
 * transport.sendMail({ ...message, dkim: dkimOptionsFor('acme.example', 'mq202401', pem) })
 */
export function dkimOptionsFor(domain: string, selector: string, privateKeyPem: string): DkimSigningOptions {
  return {
    domainName: normaliseDomain(domain),
    keySelector: selector,
    privateKey: privateKeyPem,
    headerFieldNames: DKIM_SIGNED_HEADERS.join(':'),
  };
}
