import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@portcullis/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { ConsentForm, InteractionOutcome, LoginForm, PasswordForm } from './interactions.service.js';
import { InteractionsService } from './interactions.service.js';
import { pageHeaders } from './pages/html.js';
import { STYLESHEET } from './pages/stylesheet.js';

/**
 * The login, password-change and consent pages of the authorization flow: server-rendered
 * HTML and form POSTs (application/x-www-form-urlencoded), no JavaScript.
 */
@ApiExcludeController()
@Public()
@Controller({ path: 'oauth/interaction', version: '1' })
export class InteractionsController {
  constructor(private readonly interactions: InteractionsService) {}

  @Get('assets/style.css')
  stylesheet(@Res() reply: FastifyReply): void {
    void reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(STYLESHEET);
  }

  @Get(':uid')
  async show(
    @Param('uid') uid: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.interactions.show(exchange(request, reply), uid));
  }

  @Post(':uid/login')
  async login(
    @Param('uid') uid: string,
    @Body() form: LoginForm,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.interactions.login(exchange(request, reply), uid, form ?? {}));
  }

  @Post(':uid/password')
  async password(
    @Param('uid') uid: string,
    @Body() form: PasswordForm,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.interactions.changePassword(exchange(request, reply), uid, form ?? {}));
  }

  @Post(':uid/consent')
  async consent(
    @Param('uid') uid: string,
    @Body() form: ConsentForm,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    send(reply, await this.interactions.consent(exchange(request, reply), uid, form ?? {}));
  }
}

function exchange(request: FastifyRequest, reply: FastifyReply) {
  return { req: request.raw, res: reply.raw };
}

/**
 * Pages are never cached and may only be framed by nobody; their forms may post here and
 * the redirects that follow may reach the client's redirect URI (CSP form-action applies
 * to the whole redirect chain).
 */
function send(reply: FastifyReply, outcome: InteractionOutcome): void {
  reply.header('cache-control', 'no-store');
  if (outcome.kind === 'redirect') {
    void reply.redirect(outcome.location, 303);
    return;
  }
  void reply
    .status(outcome.status)
    .headers(pageHeaders(outcome.formTarget))
    .header('content-type', 'text/html; charset=utf-8')
    .send(outcome.html);
}
