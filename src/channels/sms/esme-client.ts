// The ESME side of SMPP v3.4: binds (one transceiver, or a transmitter and a receiver), answers the
// SMSC's enquire_link and sends its own, submits PDUs and hands deliver_sm to the sender, which
// acknowledges only once the receipt or reply is safely in the warehouse. A dropped link rejects
// every unanswered submit as `lost`; `ensureBound` reconnects with backoff.
import smpp from 'smpp';
import type { PDU, Session } from 'smpp';
import { AppError } from '../../shared/errors.ts';
import type { SmscAddress } from './smpp-url.ts';

export interface EsmeOptions extends SmscAddress {
  systemType: string;
  addressRange: string;
  bind: 'transceiver' | 'transmitter+receiver';
  enquireLinkSec: number;
  responseTimeoutSec: number;
  /** Called for every deliver_sm; the resp goes out when the promise settles. */
  onDeliver: (pdu: PDU) => Promise<void>;
  /** First reconnect delay; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** `unsent`: never written (no link), safe to send again; `lost`: written, no answer, fate unknown. */
export type SubmitOutcome = { status: number; messageId?: string } | { status: 'lost' } | { status: 'unsent' };

export class EsmeClient {
  private sessions: Session[] = [];
  private bindCount = 0;
  private closed = false;
  private enquireTimer: NodeJS.Timeout | undefined;
  private readonly pending = new Map<Session, Set<(outcome: SubmitOutcome) => void>>();
  private everBound = false;
  /** Binds after the first (after a drop). */
  reconnects = 0;

  constructor(private readonly options: EsmeOptions) {}

  get bound(): boolean {
    return this.sessions.length > 0 && this.sessions.length === this.bindCount;
  }

  /** Binds, retrying with backoff while the SMSC is unreachable; a refused password fails at once. */
  async ensureBound(stopping: () => boolean = () => false, maxAttempts = Number.POSITIVE_INFINITY): Promise<void> {
    let delay = this.options.backoffMs ?? 250;
    for (let attempt = 1; !this.bound && !this.closed && !stopping(); attempt++) {
      try {
        await this.connect();
        if (this.everBound) this.reconnects++;
        this.everBound = true;
        return;
      } catch (error) {
        if (error instanceof AppError && error.code === 'USAGE') throw error;
        this.drop();
        if (attempt >= maxAttempts)
          throw new AppError(
            'CHANNEL_FAILED',
            `cannot bind to the SMSC after ${attempt} attempts: ${(error as Error).message}`,
            {
              hint: 'is the SMSC running (telmark smsc --port 2775) and is --smsc right?',
            },
          );
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, this.options.maxBackoffMs ?? 30_000);
      }
    }
  }

  private async connect(): Promise<void> {
    const kinds =
      this.options.bind === 'transceiver'
        ? (['bind_transceiver'] as const)
        : (['bind_transmitter', 'bind_receiver'] as const);
    this.sessions = [];
    this.bindCount = 0;
    for (const kind of kinds) {
      const session = await this.open();
      this.sessions.push(session);
      const response = await new Promise<PDU>((resolve, reject) => {
        session.once('close', () => reject(new AppError('CHANNEL_FAILED', 'the SMSC closed the link while binding')));
        session[kind](
          {
            system_id: this.options.systemId,
            password: this.options.password,
            system_type: this.options.systemType,
            address_range: this.options.addressRange,
            interface_version: 0x34,
          },
          resolve,
        );
      });
      if (response.command_status !== 0)
        throw new AppError(
          'USAGE',
          `the SMSC refused ${kind} for system id "${this.options.systemId}" (status 0x${response.command_status.toString(16)})`,
          { hint: 'check the system id and password in --smsc smpp://SYSTEM_ID:PASSWORD@HOST:PORT' },
        );
      this.bindCount++;
    }
    clearInterval(this.enquireTimer);
    this.enquireTimer = setInterval(() => {
      for (const s of this.sessions) s.enquire_link();
    }, this.options.enquireLinkSec * 1000);
    this.enquireTimer.unref();
  }

  private open(): Promise<Session> {
    return new Promise((resolve, reject) => {
      const session = smpp.connect({ host: this.options.host, port: this.options.port });
      this.pending.set(session, new Set());
      session.on('connect', () => {
        session.socket.setNoDelay(true);
        resolve(session);
      });
      session.on('error', (error: Error) =>
        reject(new AppError('CHANNEL_FAILED', `SMSC ${this.options.host}:${this.options.port}: ${error.message}`)),
      );
      session.on('close', () => this.lose(session));
      session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
      session.on('unbind', (pdu: PDU) => {
        session.send(pdu.response());
        session.close();
      });
      session.on('deliver_sm', (pdu: PDU) => {
        void this.options.onDeliver(pdu).then(
          () => session.send(pdu.response()),
          // Not acknowledged: the SMSC delivers it again later.
          () => undefined,
        );
      });
    });
  }

  /** A link went away: every submit waiting on it is lost, and the client is no longer bound. */
  private lose(session: Session): void {
    const waiting = this.pending.get(session);
    this.pending.delete(session);
    if (this.sessions.includes(session)) {
      this.sessions = [];
      this.bindCount = 0;
      clearInterval(this.enquireTimer);
    }
    for (const settle of waiting ?? []) settle({ status: 'lost' });
  }

  /** Sends one submit_sm; resolves with the SMSC's answer, or `lost` when the link drops or the answer is late. */
  submit(fields: Record<string, unknown>): Promise<SubmitOutcome> {
    const session = this.sessions[0];
    if (!session || !this.bound) return Promise.resolve({ status: 'unsent' });
    const waiting = this.pending.get(session)!;
    return new Promise<SubmitOutcome>((resolve) => {
      const timer = setTimeout(() => {
        settle({ status: 'lost' });
        // An SMSC that stops answering is as good as gone: drop the link so the next bind starts clean.
        session.destroy();
      }, this.options.responseTimeoutSec * 1000);
      const settle = (outcome: SubmitOutcome) => {
        clearTimeout(timer);
        waiting.delete(settle);
        resolve(outcome);
      };
      waiting.add(settle);
      const written = session.submit_sm(fields, (pdu: PDU) =>
        settle({ status: pdu.command_status, messageId: pdu.message_id || undefined }),
      );
      if (!written) settle({ status: 'unsent' });
    });
  }

  /** Drops the link without unbinding (after an error). */
  drop(): void {
    for (const s of this.sessions) s.destroy();
    for (const [s] of this.pending) s.destroy();
    this.sessions = [];
    this.bindCount = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.enquireTimer);
    await Promise.all(
      this.sessions.map(
        (s) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => s.destroy(), 1000);
            s.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            if (!s.unbind(() => s.close())) s.destroy();
          }),
      ),
    );
    this.drop();
  }
}
