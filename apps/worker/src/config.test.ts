import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './config';

describe('loadWorkerConfig', () => {
  it('needs SMTP_URL for smtp delivery', () => {
    expect(() => loadWorkerConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/SMTP_URL/);
  });

  it.each([
    [{ SMTP_URL: 'http://x' }, /SMTP_URL/],
    [{ SMTP_URL: 'smtp://h:25', DELIVERY_MODE: 'carrier-pigeon' }, /DELIVERY_MODE/],
    [{ SMTP_URL: 'smtp://h:25', EMAIL_CONCURRENCY: '0' }, /EMAIL_CONCURRENCY/],
    [{ SMTP_URL: 'smtp://h:25', REDIS_URL: 'localhost:6379' }, /REDIS_URL/],
  ])('names the bad variable in %j', (env, pattern) => {
    expect(() => loadWorkerConfig(env)).toThrow(pattern);
  });

  it('parses a good environment with defaults', () => {
    const config = loadWorkerConfig({ SMTP_URL: 'smtp://u:p@mail.example.com:587' });
    expect(config.EMAIL_CONCURRENCY).toBe(20);
    expect(config.DELIVERY_MODE).toBe('smtp');
  });
});
