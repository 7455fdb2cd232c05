import { createQueue } from '@mailq/queues';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleEmail } from './support/platform';
import { runMailq } from './support/run-mailq';
import { useTestPlatform } from './support/test-platform';

const env = useTestPlatform({ withWorkers: false });

describe('mailq migrate', () => {
  it('pauses every queue, waits for in-flight jobs, reports what is left, backs up, and resumes', async () => {
    for (let i = 0; i < 3; i++) expect((await env.platform.send(sampleEmail())).status).toBe(202);
    const vars = { REDIS_URL: env.redis.url, MAILQ_NAMESPACE: env.platform.namespace };

    const prepare = await runMailq(['migrate', 'prepare'], vars);
    expect(prepare.code).toBe(0);
    expect(prepare.stdout).toContain('Paused 5 queue(s)');
    expect(prepare.stdout).toContain('In flight: 0. Left in the queues: 3 waiting, 0 delayed, 0 failed.');
    const backup = /Backup written: (\S+)/.exec(prepare.stdout)?.[1];
    expect(backup && existsSync(backup)).toBe(true);

    const email = createQueue('email', env.platform.redis, env.platform.namespace);
    expect(await email.isPaused()).toBe(true);
    const resume = await runMailq(['migrate', 'resume'], vars);
    expect(resume.code).toBe(0);
    expect(await email.isPaused()).toBe(false);
    await email.close();
  });
});
