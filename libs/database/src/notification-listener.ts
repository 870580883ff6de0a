import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { DataSource } from 'typeorm';

const RECONNECT_DELAY_MS = 2_000;

export interface NotificationHandlers {
  /** A notification on the channel, with its payload ('' when none). */
  notified(payload: string): void;
  /**
   * Listening has begun (at start or after a loss). What was read before may hold a change
   * whose notification nobody heard: drop it.
   */
  listening(): void;
  /** The connection is gone; notifications may be missed until listening() again. */
  lost(): void;
}

/**
 * LISTENs on one PostgreSQL channel over a connection of its own (a pooled connection would
 * lose it at release), and reconnects every two seconds after losing it. What a node keeps in
 * memory on the strength of these notifications must be dropped while `isListening` is false.
 */
export class NotificationListener {
  private readonly logger: Logger;
  private connection?: pg.Client;
  private listeningNow = false;
  private stopped = false;
  private reconnect?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly handlers: NotificationHandlers,
  ) {
    this.logger = new Logger(`NotificationListener(${channel})`);
  }

  get isListening(): boolean {
    return this.listeningNow;
  }

  async start(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url || this.stopped) return;
    const connection = new pg.Client({ connectionString: url });
    this.connection = connection;
    connection.on('notification', (message) => {
      // What this connection sent itself (notify()) was handled where it was sent.
      if (message.processId === (connection as pg.Client & { processID?: number }).processID) return;
      this.handlers.notified(message.payload ?? '');
    });
    connection.on('error', (error) => this.lose(connection, error));
    connection.on('end', () => this.lose(connection));
    try {
      await connection.connect();
      await connection.query(`LISTEN ${this.channel}`);
      if (connection !== this.connection || this.stopped) return;
      this.listeningNow = true;
      this.handlers.listening();
    } catch (error) {
      this.lose(connection, error);
    }
  }

  /**
   * Notifies every other listener on the channel (this one does not hear itself), over this
   * connection: a caller that holds a pooled connection (an after-commit hook) must not wait
   * for another.
   */
  async notify(payload: string): Promise<void> {
    if (!this.connection || !this.listeningNow) throw new Error(`not connected to ${this.channel}`);
    await this.connection.query('SELECT pg_notify($1, $2)', [this.channel, payload]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    this.listeningNow = false;
    await this.connection?.end().catch(() => undefined);
  }

  private lose(connection: pg.Client, error?: unknown): void {
    if (connection !== this.connection) return; // already handled
    this.connection = undefined;
    this.listeningNow = false;
    this.handlers.lost();
    void connection.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(`Notifications lost (${String(error ?? 'connection ended')}); retrying`);
    this.reconnect = setTimeout(() => void this.start(), RECONNECT_DELAY_MS);
    this.reconnect.unref();
  }
}
