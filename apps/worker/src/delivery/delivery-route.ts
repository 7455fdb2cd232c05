import { NullMxError, resolveMailHosts, type DnsResolver } from '@mailq/mail';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export type SmtpTransport = Transporter<SMTPPool.SentMessageInfo>;

export interface RouteHost {
  name: string;
  transport: SmtpTransport;
}

/** Why a destination cannot be routed at all: permanent (null MX, no host) or transient (DNS trouble). */
export class RouteError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'RouteError';
  }
}

/** Where mail for a recipient domain goes: the smarthost, or that domain's MX hosts. */
export interface DeliveryRoute {
  hostsFor(domain: string): Promise<RouteHost[]>;
  close(): void;
}

export interface TransportOptions {
  poolSize: number;
  timeoutMs: number;
  ehloName: string;
}

function pooled(target: SMTPPool.Options, options: TransportOptions): SmtpTransport {
  return nodemailer.createTransport({
    ...target,
    pool: true,
    maxConnections: options.poolSize,
    maxMessages: 1000,
    name: options.ehloName,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
}

/** `smtp` mode: every destination through one pooled connection set to `SMTP_URL`. */
export function smarthostRoute(url: string, options: TransportOptions): DeliveryRoute {
  const transport = pooled({ url } as SMTPPool.Options, options);
  return { hostsFor: async () => [{ name: 'smarthost', transport }], close: () => transport.close() };
}

/**
 * `mx` mode: direct to each recipient domain's MX hosts in preference order
 * (RFC 5321 §5.1), with a connection pool per host. STARTTLS is used whenever
 * offered, without certificate checks: opportunistic TLS as on the public MX
 * network (RFC 3207 §4.1 — a failed check must not push mail back to cleartext).
 */
export function mxRoute(resolver: DnsResolver, port: number, options: TransportOptions): DeliveryRoute {
  const transports = new Map<string, SmtpTransport>();
  // One pool per (MX name, address): the address comes from the DNS port, the
  // name is kept for TLS SNI and the timeline.
  const transportFor = (host: string, address: string): SmtpTransport => {
    const key = `${host}|${address}`;
    let transport = transports.get(key);
    if (!transport) {
      transport = pooled(
        { host: address, port, secure: false, tls: { rejectUnauthorized: false, servername: host } },
        options,
      );
      transports.set(key, transport);
    }
    return transport;
  };
  const addressesOf = async (host: string): Promise<string[]> => {
    const [v4, v6] = await Promise.all([resolver.resolve4(host), resolver.resolve6(host)]);
    return [...v4, ...v6];
  };
  return {
    async hostsFor(domain) {
      let hosts: { host: string }[];
      try {
        hosts = await resolveMailHosts(resolver, domain);
      } catch (error) {
        if (error instanceof NullMxError)
          throw new RouteError(`${domain} accepts no mail (null MX, RFC 7505)`, true);
        throw new RouteError(`DNS lookup for ${domain} failed: ${(error as Error).message}`, false);
      }
      if (hosts.length === 0) throw new RouteError(`${domain} has no MX, A or AAAA record`, true);
      const routes: RouteHost[] = [];
      for (const { host } of hosts) {
        const addresses = await addressesOf(host).catch(() => []);
        for (const address of addresses)
          routes.push({ name: `${host} [${address}]`, transport: transportFor(host, address) });
      }
      if (routes.length === 0) throw new RouteError(`no address found for the MX hosts of ${domain}`, false);
      return routes;
    },
    close() {
      for (const transport of transports.values()) transport.close();
    },
  };
}
