#!/usr/bin/env node
// The `mailq` command. The project ships TypeScript without a build step;
// tsx's loader runs it directly on Node >= 20.19.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
