import type { Disposition } from './classification-rules';

/** A real reply and the verdict the default table must give it. */
export interface ReplyCase {
  name: string;
  reply: string;
  disposition: Disposition;
  suppress: boolean;
  rule: string;
  slowDown?: boolean;
}

import { BOUNCE_CASES } from './smtp-reply-corpus-bounces';

/**
 * Replies as providers send them (IPs and queue ids replaced), for the table-driven tests of
 * `classifySmtpReply`: accepted, deferred and policy replies here, bounces in
 * `smtp-reply-corpus-bounces.ts`. Test data only, not exported from the package.
 */
export const REPLY_CORPUS: ReplyCase[] = [
  {
    name: 'Gmail accepted',
    reply: '250 2.0.0 OK  1700000000 a1si123ejb.45 - gsmtp',
    disposition: 'delivered',
    suppress: false,
    rule: '2xx',
  },
  {
    name: 'Postfix queued',
    reply: '250 Ok: queued as 4F2B1C0A12',
    disposition: 'delivered',
    suppress: false,
    rule: '2xx',
  },
  {
    name: 'Outlook blocked using Spamhaus',
    reply:
      '550 5.7.1 Service unavailable, Client host [203.0.113.7] blocked using Spamhaus. To request removal ' +
      'from this list see https://www.spamhaus.org/query/ip/203.0.113.7 (AS3130). [BN8NAM12FT045.eop-nam12.prod.protection.outlook.com]',
    disposition: 'policy',
    suppress: false,
    rule: '5.7.*',
  },
  {
    name: 'Yahoo TSS04 throttle',
    reply:
      '421 4.7.0 [TSS04] Messages from 203.0.113.7 temporarily deferred due to unexpected volume or user ' +
      'complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    disposition: 'deferred',
    suppress: false,
    rule: '4.7.*',
    slowDown: true,
  },
  {
    name: 'mailbox full, transient',
    reply: '452 4.2.2 mailbox full',
    disposition: 'deferred',
    suppress: false,
    rule: '4.2.2',
  },
  {
    name: 'Postfix relay denied',
    reply: '554 5.7.1 <bob@example.org>: Relay access denied',
    disposition: 'policy',
    suppress: false,
    rule: '5.7.*',
  },
  {
    name: 'bare greylisting',
    reply: '451 Greylisted',
    disposition: 'deferred',
    suppress: false,
    rule: '451',
    slowDown: false,
  },
  {
    name: 'greylisting with 4.7.1 is not a slow-down',
    reply: '451 4.7.1 Greylisting in action, please come back later',
    disposition: 'deferred',
    suppress: false,
    rule: '4.7.*',
    slowDown: false,
  },
  {
    name: 'Postgrey with 4.2.0',
    reply:
      '450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html',
    disposition: 'deferred',
    suppress: false,
    rule: '4.*.*',
    slowDown: false,
  },
  {
    name: 'Gmail unusual rate',
    reply:
      '421-4.7.28 Gmail has detected an unusual rate of unsolicited mail.\r\n421 4.7.28 To protect our users - gsmtp',
    disposition: 'deferred',
    suppress: false,
    rule: '4.7.*',
    slowDown: true,
  },
  {
    name: 'Gmail per-recipient rate',
    reply:
      '450-4.2.1 The user you are trying to contact is receiving mail at a rate that\n' +
      '450 4.2.1 prevents additional messages from being delivered. - gsmtp',
    disposition: 'deferred',
    suppress: false,
    rule: '4.*.*',
    slowDown: true,
  },
  {
    name: 'Outlook IP reputation rate limit',
    reply:
      '451 4.7.650 The mail server [203.0.113.7] has been temporarily rate limited due to IP reputation.',
    disposition: 'deferred',
    suppress: false,
    rule: '4.7.*',
    slowDown: true,
  },
  {
    name: 'bare 421',
    reply: '421 Service not available, closing transmission channel',
    disposition: 'deferred',
    suppress: false,
    rule: '421',
    slowDown: true,
  },
  {
    name: 'bare 450',
    reply: '450 Requested mail action not taken: mailbox unavailable',
    disposition: 'deferred',
    suppress: false,
    rule: '450',
    slowDown: false,
  },
  {
    name: 'too many recipients is not a slow-down',
    reply: '452 Too many recipients',
    disposition: 'deferred',
    suppress: false,
    rule: '452',
    slowDown: false,
  },
  {
    name: 'other 4xx',
    reply: '454 TLS not available due to temporary reason',
    disposition: 'deferred',
    suppress: false,
    rule: '4xx',
    slowDown: false,
  },
  {
    name: 'too many connections',
    reply: '421 4.3.2 Too many connections, try later',
    disposition: 'deferred',
    suppress: false,
    rule: '4.*.*',
    slowDown: true,
  },
  {
    name: 'Gmail unauthenticated',
    reply:
      '550-5.7.26 This mail has been blocked because the sender is unauthenticated.\r\n550 5.7.26 - gsmtp',
    disposition: 'policy',
    suppress: false,
    rule: '5.7.*',
  },
  {
    name: 'Yahoo policy',
    reply:
      '554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes',
    disposition: 'policy',
    suppress: false,
    rule: '5.7.*',
  },
  {
    name: 'spam without 5.7',
    reply: '550 Message rejected because it looks like SPAM',
    disposition: 'policy',
    suppress: false,
    rule: '5xx+text',
  },
  {
    name: 'Barracuda bare 554',
    reply: '554 Service unavailable; Client host [203.0.113.7] blocked using Barracuda Reputation',
    disposition: 'policy',
    suppress: false,
    rule: '5xx+text',
  },
  {
    name: 'Comcast blocklist',
    reply: '554 resimta-ch2-18v.sys.comcast.net comcast 203.0.113.7 Comcast block for spam.',
    disposition: 'policy',
    suppress: false,
    rule: '5xx+text',
  },
  {
    name: 'blacklisted with 5.0.0',
    reply: '550 5.0.0 Your IP is blacklisted',
    disposition: 'policy',
    suppress: false,
    rule: '5xx+text',
  },
  {
    name: 'qmail relay denial',
    reply: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
    disposition: 'policy',
    suppress: false,
    rule: '5.7.*',
  },
  ...BOUNCE_CASES,
];
