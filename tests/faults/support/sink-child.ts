// Entry of the SMTP sink's own process (see sink-process.ts): the sink answers
// from an event loop that the test's load and ingest do not share.
import { startSmtpSink } from '@mailq/testing';

const REPORT_EVERY_MS = 20;

const sink = await startSmtpSink();
let reported = 0;
const report = () => {
  const fresh = sink.messages.slice(reported);
  reported += fresh.length;
  if (fresh.length > 0)
    process.send?.({
      type: 'arrivals',
      arrivals: fresh.map((m) => ({
        messageId: m.messageId,
        client: m.clientName,
        at: m.receivedAt.getTime(),
      })),
    });
};
const timer = setInterval(report, REPORT_EVERY_MS);
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'close') return;
  clearInterval(timer);
  report();
  void sink.close().then(() => process.exit(0));
});
// The parent going away (test crash) must not leave the sink running.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', port: sink.port });
