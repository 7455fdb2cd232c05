/** One request that must be refused: what is sent and the error code expected. */
export interface BadInput {
  name: string;
  body: string;
  code: string;
  status: number;
  contentType?: string;
  path?: string;
  method?: string;
}

const valid = {
  from: 'sender@example.com',
  to: 'ada@example.net',
  subject: 'Hi',
  text: 'Body',
};
const json = (value: unknown) => JSON.stringify(value);
const withField = (field: string, value: unknown) => json({ ...valid, [field]: value });
const without = (field: keyof typeof valid) => {
  const copy: Record<string, unknown> = { ...valid };
  delete copy[field];
  return json(copy);
};
const invalid = (name: string, body: string): BadInput => ({
  name,
  body,
  code: 'invalid_request',
  status: 400,
});

/** The bad-input corpus: each case is answered 4xx with its code and stores nothing. */
export const BAD_INPUTS: BadInput[] = [
  invalid('missing from', without('from')),
  invalid('missing to', without('to')),
  invalid('missing subject', without('subject')),
  invalid('no text nor html', without('text')),
  invalid('empty object', '{}'),
  invalid('from not an address', withField('from', 'not-an-address')),
  invalid('from with two addresses', withField('from', 'a@example.com, b@example.com')),
  invalid('from with CRLF', withField('from', 'a@example.com\r\nBcc: victim@example.org')),
  invalid('to empty list', withField('to', [])),
  invalid('to bad address in list', withField('to', ['ok@example.com', 'bad@'])),
  invalid('to number', withField('to', 42)),
  invalid('to address without domain dot', withField('to', 'user@@example.com')),
  invalid('cc bad', withField('cc', 'nope')),
  invalid('bcc bad', withField('bcc', ['x@y.com', '<>'])),
  invalid('reply_to bad', withField('reply_to', 'reply at example.com')),
  invalid('subject with LF', withField('subject', 'Hello\nBcc: victim@example.org')),
  invalid('subject with CR', withField('subject', 'Hello\rthere')),
  invalid('subject with NUL', withField('subject', 'Hello\u0000')),
  invalid('subject empty', withField('subject', '')),
  invalid('subject too long', withField('subject', 'x'.repeat(999))),
  invalid('subject number', withField('subject', 5)),
  invalid('text not string', withField('text', { a: 1 })),
  invalid('html not string', withField('html', ['<p>'])),
  invalid('header value with CRLF', withField('headers', { 'X-Tag': 'a\r\nBcc: victim@example.org' })),
  invalid('header name with colon', withField('headers', { 'X:Tag': 'a' })),
  invalid('header name with space', withField('headers', { 'X Tag': 'a' })),
  invalid('reserved header From', withField('headers', { From: 'evil@example.com' })),
  invalid('reserved header bcc', withField('headers', { bcc: 'evil@example.com' })),
  invalid('headers not object', withField('headers', 'X-A: b')),
  invalid('unknown field', withField('subjct', 'typo')),
  invalid(
    'too many recipients',
    withField(
      'to',
      Array.from({ length: 51 }, (_, i) => `r${i}@example.com`),
    ),
  ),
  invalid('attachment not base64', withField('attachments', [{ filename: 'a.txt', content: '***' }])),
  invalid('attachment missing filename', withField('attachments', [{ content: 'aGk=' }])),
  invalid(
    'attachment filename with LF',
    withField('attachments', [{ filename: 'a\n.txt', content: 'aGk=' }]),
  ),
  invalid(
    'attachment bad content_type',
    withField('attachments', [{ filename: 'a', content: 'aGk=', content_type: 'text' }]),
  ),
  invalid('tags bad name', withField('tags', [{ name: 'has space', value: 'x' }])),
  invalid('tags not list', withField('tags', { name: 'a', value: 'b' })),
  invalid('metadata value not string', withField('metadata', { plan: 3 })),
  invalid('tracking not boolean', withField('tracking', { opens: 'yes' })),
  invalid('body is a JSON array', json([valid])),
  invalid('body is a JSON string', json('hello')),
  invalid('body is null', 'null'),
  { name: 'malformed JSON', body: '{"from": "a@example.com",', code: 'invalid_json', status: 400 },
  { name: 'empty body', body: '', code: 'invalid_json', status: 400 },
  {
    name: 'wrong content type',
    body: json(valid),
    contentType: 'text/plain',
    code: 'unsupported_media_type',
    status: 415,
  },
  {
    name: 'form content type',
    body: 'from=a',
    contentType: 'application/x-www-form-urlencoded',
    code: 'unsupported_media_type',
    status: 415,
  },
  {
    name: 'oversized body',
    body: json({ ...valid, text: 'x'.repeat(16 * 1024 * 1024) }),
    code: 'payload_too_large',
    status: 413,
  },
  {
    name: 'message over 10 MB',
    body: json({ ...valid, text: 'x'.repeat(10 * 1024 * 1024 + 10) }),
    code: 'payload_too_large',
    status: 413,
  },
  { name: 'unknown route', body: json(valid), path: '/v1/emailz', code: 'not_found', status: 404 },
  { name: 'unknown version', body: json(valid), path: '/v2/emails', code: 'not_found', status: 404 },
  {
    name: 'batch not an array',
    body: json(valid),
    path: '/v1/emails/batch',
    code: 'invalid_request',
    status: 400,
  },
  { name: 'batch empty', body: '[]', path: '/v1/emails/batch', code: 'invalid_request', status: 400 },
  {
    name: 'batch over 500',
    body: json(Array.from({ length: 501 }, () => valid)),
    path: '/v1/emails/batch',
    code: 'invalid_request',
    status: 400,
  },
  {
    name: 'bad email id',
    body: '',
    method: 'GET',
    path: '/v1/emails/..%2F..%2Fetc',
    code: 'invalid_request',
    status: 400,
  },
];
