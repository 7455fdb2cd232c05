import { OUTBOX_LIMIT, type OutboxEntry } from './outbox-reader';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values. Every value
 * on the page comes from captured mail, i.e. from whoever sent it, so nothing is
 * interpolated without passing through here.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
h1{font-size:1.3rem;margin:0 0 .25rem}
p.hint{color:#666;margin:0 0 1rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid #ddd}
th{background:#f4f4f4;font-weight:600}
td.preview{color:#555;font-size:.9em;max-width:40rem}
td.nowrap{white-space:nowrap}
a{color:#0b57d0}
`;

/**
 * Renders the outbox as one self-contained HTML page (inline CSS, no scripts or
 * external assets, so it works offline and cannot leak anything).
 *
 * @param entries Messages newest first, as {@link readOutbox} returns them.
 * @param basePath Path the outbox is mounted at (e.g. `/dev/outbox`); links are
 *   absolute because the list may be served with or without a trailing slash.
 */
export function renderOutboxPage(entries: OutboxEntry[], basePath: string): string {
  const base = basePath.replace(/\/+$/, '');
  const rows = entries.map((entry) => renderRow(entry, base)).join('\n');
  const empty = '<tr><td colspan="5">No messages captured yet.</td></tr>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mailq dev outbox</title>
<style>${STYLE}</style>
</head>
<body>
<h1>mailq dev outbox</h1>
<p class="hint">${entries.length} message(s), newest first (at most ${OUTBOX_LIMIT}). Reload to refresh.</p>
<table>
<thead><tr><th>Date</th><th>From</th><th>To</th><th>Subject</th><th>Size</th></tr></thead>
<tbody>
${rows || empty}
</tbody>
</table>
</body>
</html>
`;
}

function renderRow(entry: OutboxEntry, base: string): string {
  const href = `${base}/${encodeURIComponent(entry.file)}`;
  const subject = entry.subject ?? '(no subject)';
  const preview = entry.preview ? `<br><span>${escapeHtml(entry.preview)}</span>` : '';
  return `<tr>
<td class="nowrap">${escapeHtml(entry.date ?? '')}</td>
<td>${escapeHtml(entry.from ?? '')}</td>
<td>${escapeHtml(entry.to ?? '')}</td>
<td class="preview"><a href="${escapeHtml(href)}">${escapeHtml(subject)}</a>${preview}</td>
<td class="nowrap">${escapeHtml(formatSize(entry.size))}</td>
</tr>`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
