/** What a Postmark bounce `Type` means for us. */
export type PostmarkBounceKind = 'hard' | 'soft' | 'complaint' | 'ignore';

/**
 * Every bounce type in Postmark's documented list (Bounce API → bounce types;
 * TypeCode in the comment). `hard` means the address itself is bad and should
 * be suppressed; `soft` a failure of this message that says nothing certain
 * about the address; `ignore` a notice that is not a delivery failure at all.
 * A type not listed here is treated as `soft`.
 */
export const POSTMARK_BOUNCE_TYPES: Readonly<Record<string, PostmarkBounceKind>> = {
  HardBounce: 'hard', // 1: the server said the address does not exist
  Transient: 'soft', // 2: delayed, Postmark keeps trying
  Unsubscribe: 'ignore', // 16: a reply asking to be removed, not a failure
  Subscribe: 'ignore', // 32: a reply asking to be added
  AutoResponder: 'ignore', // 64: out-of-office and the like: the message arrived
  AddressChange: 'soft', // 128: the recipient announces a new address
  DnsError: 'soft', // 256: the domain did not resolve, possibly for a while
  SpamNotification: 'soft', // 512: refused or filtered as spam: about the message
  OpenRelayTest: 'ignore', // 1024: a relay test, nothing was sent
  Unknown: 'soft', // 2048
  SoftBounce: 'soft', // 4096: mailbox full, server down, …
  VirusNotification: 'soft', // 8192
  ChallengeVerification: 'soft', // 16384: held until the sender answers a challenge
  BadEmailAddress: 'hard', // 100000: not a valid address at all
  SpamComplaint: 'complaint', // 100001
  ManuallyDeactivated: 'hard', // 100002: deactivated in Postmark, which will not send to it
  Unconfirmed: 'soft', // 100003
  Blocked: 'soft', // 100006: the receiver blocked us (reputation, content)
  SMTPApiError: 'soft', // 100007: an SMTP API error on our side
  InboundError: 'ignore', // 100008: about inbound processing, not an outbound message
  DMARCPolicy: 'soft', // 100009: refused under the From domain's DMARC policy
  TemplateRenderingFailed: 'soft', // 100010: nothing was sent
};
