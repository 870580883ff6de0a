import { Injectable } from '@nestjs/common';

/** The time, injectable so tests can reason about expiry without sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
