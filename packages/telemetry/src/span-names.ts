/** Every span and tracer name of the project, prefixed `mq.` (STYLE.md). */
export const TRACER_NAME = 'mail-queue';

export const SPANS = {
  httpRequest: 'mq.http.request',
  relayEnqueue: 'mq.relay.enqueue',
  emailProcess: 'mq.email.process',
  smtpSend: 'mq.smtp.send',
} as const;

/** Span attribute names of our own (OpenTelemetry semantic conventions where one exists). */
export const ATTRS = {
  messageId: 'mq.message.id',
  tenantId: 'mq.tenant.id',
  recipients: 'mq.recipients.count',
  smtpReplyCode: 'mq.smtp.reply_code',
  httpMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpStatus: 'http.response.status_code',
} as const;
