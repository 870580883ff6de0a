import 'reflect-metadata';

import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { AccessTokenVerifier, ClientTokens } from '@portcullis/oauth';
import type { SessionsService } from '@portcullis/sessions';
import { describe, expect, it } from 'vitest';

import { Public } from './auth.decorators.js';
import { AuthGuard } from './auth.guard.js';

class BaseController {
  status(): string {
    return 'ok';
  }
}
@Public()
class OpenController extends BaseController {}
class ClosedController extends BaseController {}

function contextFor(controller: new () => BaseController) {
  const request = { headers: {} };
  return new ExecutionContextHost([request, {}], controller, BaseController.prototype.status);
}

describe(AuthGuard.name, () => {
  // Neither is reached: a public route returns first, a closed one without a token fails first.
  const sut = new AuthGuard(
    new Reflector(),
    {} as AccessTokenVerifier,
    {} as SessionsService,
    {} as ClientTokens,
  );

  it('should read route metadata per controller when an inherited handler serves several', async () => {
    await expect(sut.canActivate(contextFor(OpenController))).resolves.toBe(true);
    await expect(sut.canActivate(contextFor(ClosedController))).rejects.toMatchObject({
      code: 'MISSING_TOKEN',
    });
    await expect(sut.canActivate(contextFor(OpenController))).resolves.toBe(true);
  });
});
