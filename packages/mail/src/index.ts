export { parseSmtpReply } from './smtp-reply';
export type { SmtpReply } from './smtp-reply';
export { DEFAULT_CLASSIFICATION_RULES, DISPOSITIONS } from './classification-rules';
export type { ClassificationRule, Disposition } from './classification-rules';
export { classificationRules, classifySmtpReply, isSlowDown } from './smtp-classification';
export type { Classification } from './smtp-classification';
export { parseClassificationOverrides } from './classification-overrides';
export { systemResolver } from './dns-resolver';
export type { DnsResolver, MxRecord, SystemResolverOptions } from './dns-resolver';
export { staticResolver } from './static-resolver';
export type { StaticRecords, StaticResolver } from './static-resolver';
export { NullMxError, resolveMailHosts } from './mail-hosts';
export type { MailHost } from './mail-hosts';
export { dkimTxtValue, generateDkimKeyPair } from './dkim-keys';
export type { DkimKeyPair } from './dkim-keys';
export { normaliseDomain, sendingDomainRecords } from './domain-records';
export type { DnsRecord, DnsRecordPurpose, DomainRecordOptions } from './domain-records';
export { verifySendingDomain } from './domain-verification';
export type { DomainCheck, DomainVerification } from './domain-verification';
export { DKIM_SIGNED_HEADERS, dkimOptionsFor } from './dkim-signing';
export type { DkimSigningOptions } from './dkim-signing';
export { buildMimeMessage } from './mime/mime-message';
export type { MimeMessageInput } from './mime/mime-message';
export { NO_TRACK_ATTRIBUTE, rewriteLinks } from './tracking/link-rewriter';
export { insertOpenPixel } from './tracking/open-pixel';
export { isMachineEvent, MACHINE_EVENT_WINDOW_S } from './tracking/machine-events';
export type {
  MachineReason,
  MachineVerdict,
  TrackingEventKind,
  TrackingEventSignals,
} from './tracking/machine-events';
