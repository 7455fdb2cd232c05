/** What `mailq dev` prints once everything is up: where things are and what to do next. */
export function devBanner(options: {
  url: string;
  apiKey: string;
  smtp: string;
  captured: boolean;
  dataDir: string;
  anySender: boolean;
  admin: { user: string; password: string; generated: boolean };
}): string {
  const curl = [
    `curl -s ${options.url}/v1/emails \\`,
    `    -H 'Authorization: Bearer ${options.apiKey}' \\`,
    `    -H 'Content-Type: application/json' \\`,
    `    -d '{"from":"Dev <dev@example.com>","to":"you@example.com","subject":"Hello","text":"It works."}'`,
  ].join('\n');
  return [
    '',
    '  Mail Queue is running (ingest + relay + workers, one process)',
    '',
    `  API           ${options.url}`,
    `  API docs      ${options.url}/docs`,
    `  API key       ${options.apiKey}   (also in ${options.dataDir}/dev-api-key)`,
    `  SMTP          ${options.smtp}${options.captured ? '   (capture: nothing leaves this machine)' : ''}`,
    options.anySender
      ? '  Senders       any domain in dev (production refuses unverified ones: POST /v1/domains)'
      : '  Senders       verified domains only (POST /v1/domains, then /verify)',
    ...(options.captured
      ? [`  Outbox        ${options.url}/dev/outbox   (files in ${options.dataDir}/outbox/)`]
      : []),
    `  Queues        ${options.url}/admin/queues   (${options.admin.user} / ${
      options.admin.generated
        ? `${options.admin.password}, in ${options.dataDir}/admin-password`
        : 'ADMIN_PASSWORD'
    })`,
    `  Metrics       ${options.url}/metrics`,
    '',
    '  Send one:',
    `    ${curl}`,
    '',
    `  Then: curl -s -H 'Authorization: Bearer ${options.apiKey}' ${options.url}/v1/emails/<id>`,
    '  Ctrl-C stops everything; queued messages are kept for the next start.',
    '',
  ].join('\n');
}
