import type { EmailJob } from '@mailq/queues';
import { startMetrics } from '@mailq/telemetry-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecipientOutcome } from '../delivery/deliver-group';
import { DeliveryMetrics, replyClass } from './delivery-metrics';

const metrics = startMetrics({ serviceName: 'delivery-metrics-test' });
afterAll(() => metrics.shutdown());

const job = (overrides: Partial<EmailJob> = {}): EmailJob => ({
  tenantId: 'ten_1',
  id: 'msg_1',
  messageIdHeader: '<msg_1@example.com>',
  acceptedAt: '2026-01-01T00:00:00.000Z',
  email: { from: 'a@example.com', to: ['x@example.net'], subject: 's', text: 't' },
  ...overrides,
});
const outcome = (address: string, disposition: RecipientOutcome['disposition'], replyCode?: number) => ({
  address,
  disposition,
  reply: '',
  detail: '',
  suppress: false,
  slowDown: false,
  ...(replyCode !== undefined ? { replyCode } : {}),
});
const statusOf = (o: RecipientOutcome) => (o.disposition === 'policy' ? 'bounced' : o.disposition);

function series(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`));
}

describe('DeliveryMetrics', () => {
  it('labels big providers and configured destinations by domain, every other domain as `other`', () => {
    const labels = new DeliveryMetrics({ 'corp.example': { messagesPerSecond: 5 } });
    expect(labels.destination('ada@Gmail.COM')).toBe('gmail.com');
    expect(labels.destination('bob@corp.example')).toBe('corp.example');
    expect(labels.destination('eve@somewhere-else.example')).toBe('other');
    expect(labels.destination('eve@constructor')).toBe('other');
  });

  it('classes SMTP replies, and says none when no reply came', () => {
    expect([replyClass(250), replyClass(421), replyClass(550), replyClass(undefined)]).toEqual([
      '2xx',
      '4xx',
      '5xx',
      'none',
    ]);
  });

  it('counts one transaction per recipient, by tenant, destination, reply class and outcome', async () => {
    new DeliveryMetrics().transaction(
      job(),
      [
        outcome('a@gmail.com', 'delivered', 250),
        outcome('b@x.example', 'deferred', 451),
        outcome('c@x.example', 'deferred'),
        outcome('d@x.example', 'policy', 550),
      ],
      statusOf,
      new Date('2026-01-01T00:00:03.000Z'),
    );
    const text = await metrics.text();
    expect(series(text, 'mailq_emails_delivered_total')).toEqual([
      'mailq_emails_delivered_total{tenant="ten_1",destination="gmail.com",otel_scope_name="mailq"} 1',
    ]);
    expect(series(text, 'mailq_emails_deferred_total')).toEqual([
      'mailq_emails_deferred_total{tenant="ten_1",destination="other",otel_scope_name="mailq"} 2',
    ]);
    expect(series(text, 'mailq_emails_bounced_total')).toHaveLength(1);
    expect(series(text, 'mailq_smtp_replies_total').sort()).toEqual([
      'mailq_smtp_replies_total{class="2xx",outcome="delivered",otel_scope_name="mailq"} 1',
      'mailq_smtp_replies_total{class="4xx",outcome="deferred",otel_scope_name="mailq"} 1',
      'mailq_smtp_replies_total{class="5xx",outcome="policy",otel_scope_name="mailq"} 1',
      'mailq_smtp_replies_total{class="none",outcome="deferred",otel_scope_name="mailq"} 1',
    ]);
    expect(series(text, 'mailq_delivery_latency_seconds_sum')).toEqual([
      'mailq_delivery_latency_seconds_sum{destination="gmail.com",otel_scope_name="mailq"} 3',
    ]);
  });

  it('measures latency from the scheduled time, not acceptance, for scheduled mail', async () => {
    const scheduled = job({ email: { ...job().email, scheduled_at: '2026-01-02T00:00:00.000Z' } });
    new DeliveryMetrics().transaction(
      scheduled,
      [outcome('late@yahoo.com', 'delivered', 250)],
      statusOf,
      new Date('2026-01-02T00:00:01.500Z'),
    );
    expect(series(await metrics.text(), 'mailq_delivery_latency_seconds_sum')).toContain(
      'mailq_delivery_latency_seconds_sum{destination="yahoo.com",otel_scope_name="mailq"} 1.5',
    );
  });
});
