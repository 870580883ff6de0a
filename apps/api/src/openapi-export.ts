// Writes openapi.json (committed; a test fails when the served document drifts from it).
import 'reflect-metadata';

import { writeFile } from 'node:fs/promises';

import { AppConfig } from '@portcullis/core';

import { createApiApp } from './bootstrap.js';
import { buildOpenApiDocument } from './openapi.js';

const config = AppConfig.fromEnvironment({ ...process.env, LOG_LEVEL: 'silent', RUN_JOBS: 'false' });
const app = await createApiApp(config);
const document = buildOpenApiDocument(app, 'http://localhost:3000');
await writeFile('openapi.json', `${JSON.stringify(document, null, 2)}\n`);
await app.close();
console.log('openapi.json written');
