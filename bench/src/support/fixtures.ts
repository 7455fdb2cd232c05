import { startProductStack, startStockStack, type DeliveryStack } from './delivery-stack';
import {
  startCeiling,
  startProductIngest,
  startStockIngest,
  startSink,
  type IngestSubject,
  type Sink,
} from './stacks';

/** The three HTTP ingests of the ingest scenarios (no workers: messages stay queued). */
export interface IngestFixture {
  product: IngestSubject;
  stock: IngestSubject;
  ceiling: IngestSubject;
}

/** The two delivery stacks and their shared sink, for the end-to-end, latency and command scenarios. */
export interface DeliveryFixture {
  sink: Sink;
  product: DeliveryStack;
  stock: DeliveryStack;
}

/**
 * Processes shared by the scenarios of one run, started on first use and
 * stopped at the end: starting them is most of the cost of a quick run.
 * Every round still starts from an empty Redis (FLUSHALL) and an empty sink.
 */
export class Fixtures {
  private ingest?: Promise<IngestFixture>;
  private delivery?: Promise<DeliveryFixture>;

  ingestFixture(): Promise<IngestFixture> {
    this.ingest ??= (async () => {
      const [product, stock, ceiling] = await Promise.all([
        startProductIngest(),
        startStockIngest(),
        startCeiling(),
      ]);
      return { product, stock, ceiling };
    })();
    return this.ingest;
  }

  deliveryFixture(): Promise<DeliveryFixture> {
    this.delivery ??= (async () => {
      const sink = await startSink();
      const [product, stock] = await Promise.all([startProductStack(sink), startStockStack(sink)]);
      return { sink, product, stock };
    })();
    return this.delivery;
  }

  /** Stops the ingest fixture now (the scenarios after it do not need it). */
  async closeIngest(): Promise<void> {
    const ingest = await this.ingest?.catch(() => undefined);
    this.ingest = undefined;
    if (ingest) await Promise.all([ingest.product.stop(), ingest.stock.stop(), ingest.ceiling.stop()]);
  }

  async closeDelivery(): Promise<void> {
    const delivery = await this.delivery?.catch(() => undefined);
    this.delivery = undefined;
    if (delivery) {
      await Promise.all([delivery.product.stop(), delivery.stock.stop()]);
      await delivery.sink.proc.stop();
    }
  }

  async close(): Promise<void> {
    await this.closeIngest();
    await this.closeDelivery();
  }
}
