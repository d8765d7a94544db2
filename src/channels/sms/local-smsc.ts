// A small SMSC for the demo, for trying things and for the tests: binds ESMEs (checking the system id
// and password when given), accepts submit_sm with an id, sends a delivery receipt after a delay
// (undeliverable at an optional failure rate), can answer ESME_RTHROTTLED, injects MO replies and
// drops links on demand, and writes every submit it accepted to a log (one JSON line each): the log
// is the SMSC's own account of what it was sent, which the kill test checks against.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import type { PDU, Session } from 'smpp';
import { formatReceiptText } from './delivery-receipt.ts';

export interface LocalSmscOptions {
  port?: number;
  host?: string;
  systemId?: string;
  password?: string;
  receiptDelayMs?: number;
  /** Share of receipts that say UNDELIV. */
  failureRate?: number;
  /** Answer every Nth submit_sm with ESME_RTHROTTLED (0 = never). */
  throttleEvery?: number;
  /** Delay before each submit_sm_resp, to let a window fill. */
  responseDelayMs?: number;
  /** Append one JSON line per accepted submit_sm. */
  logFile?: string;
  seed?: number;
}

export interface SmscLogEntry {
  smscId: string;
  to: string;
  from: string;
  dataCoding: number;
  text: string;
  ref?: number;
  total?: number;
  seq?: number;
}

export interface SmscStats {
  accepted: number;
  throttled: number;
  receipts: number;
  binds: number;
  maxOutstanding: number;
  mo: number;
}

export class LocalSmsc {
  private server: smpp.Server | undefined;
  private readonly bound = new Set<Session>();
  private readonly undelivered: PDU[] = [];
  private readonly unacked = new Map<Session, Set<PDU>>();
  private logFd: number | undefined;
  private nextId = 1;
  private submits = 0;
  private outstanding = 0;
  private random: () => number;
  readonly stats: SmscStats = { accepted: 0, throttled: 0, receipts: 0, binds: 0, maxOutstanding: 0, mo: 0 };
  port = 0;

  constructor(private readonly options: LocalSmscOptions = {}) {
    let state = (options.seed ?? 1) >>> 0 || 1;
    this.random = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 4294967296;
    };
  }

  async start(): Promise<number> {
    if (this.options.logFile) this.logFd = openSync(this.options.logFile, 'a');
    this.server = smpp.createServer({}, (session) => this.accept(session));
    await new Promise<void>((resolve) =>
      this.server!.listen(this.options.port ?? 2775, this.options.host ?? '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  private accept(session: Session): void {
    session.socket.setNoDelay(true);
    session.on('error', () => undefined);
    session.on('close', () => this.bound.delete(session));
    const bind = (pdu: PDU) => {
      const ok =
        (!this.options.systemId || pdu.system_id === this.options.systemId) &&
        (!this.options.password || pdu.password === this.options.password);
      if (!ok) {
        session.send(pdu.response({ command_status: smpp.ESME_RINVPASWD }));
        return;
      }
      session.send(pdu.response({ system_id: 'telmark-smsc' }));
      this.stats.binds++;
      if (pdu.command !== 'bind_transmitter') {
        this.bound.add(session);
        // Receipts that found no receiver wait for the next bind.
        for (const waiting of this.undelivered.splice(0)) this.deliver(waiting);
      }
    };
    session.on('bind_transceiver', bind);
    session.on('bind_transmitter', bind);
    session.on('bind_receiver', bind);
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: PDU) => this.submit(session, pdu));
  }

  private submit(session: Session, pdu: PDU): void {
    this.submits++;
    this.outstanding++;
    this.stats.maxOutstanding = Math.max(this.stats.maxOutstanding, this.outstanding);
    const answer = () => {
      this.outstanding--;
      if (session.socket.destroyed) return;
      const every = this.options.throttleEvery ?? 0;
      if (every > 0 && this.submits % every === 0) {
        this.stats.throttled++;
        session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
        return;
      }
      const smscId = (this.nextId++).toString(16).padStart(8, '0');
      const body = pdu.short_message as { message?: string | Buffer; udh?: Buffer[] } | Buffer;
      const message = Buffer.isBuffer(body) ? body.toString('latin1') : String(body.message ?? '');
      const concat = Buffer.isBuffer(body) ? undefined : body.udh?.find((u) => u[0] === 0x00);
      const entry: SmscLogEntry = {
        smscId,
        to: pdu.destination_addr,
        from: pdu.source_addr,
        dataCoding: pdu.data_coding,
        text: message,
        ...(concat ? { ref: concat[2], total: concat[3], seq: concat[4] } : {}),
      };
      // Logged before the answer: whatever the ESME hears as accepted is in the log.
      if (this.logFd !== undefined) writeSync(this.logFd, `${JSON.stringify(entry)}\n`);
      this.stats.accepted++;
      session.send(pdu.response({ message_id: smscId }));
      if (pdu.registered_delivery & 1) {
        const submittedAt = new Date();
        setTimeout(() => {
          const failed = this.random() < (this.options.failureRate ?? 0);
          const stat = failed ? 'UNDELIV' : 'DELIVRD';
          this.deliver(
            new smpp.PDU('deliver_sm', {
              source_addr: pdu.destination_addr,
              destination_addr: pdu.source_addr,
              esm_class: 0x04,
              short_message: formatReceiptText(smscId, stat, submittedAt, new Date()),
              receipted_message_id: smscId,
              message_state: failed ? 5 : 2,
            }),
          );
          this.stats.receipts++;
        }, this.options.receiptDelayMs ?? 1000).unref();
      }
    };
    if (this.options.responseDelayMs) setTimeout(answer, this.options.responseDelayMs);
    else answer();
  }

  /** Sends a deliver_sm; one not acknowledged when its link closes goes out again on the next bind. */
  private deliver(pdu: PDU): void {
    const session = [...this.bound].find((s) => !s.socket.destroyed);
    if (!session) {
      this.undelivered.push(pdu);
      return;
    }
    let unacked = this.unacked.get(session);
    if (!unacked) {
      const set = new Set<PDU>();
      unacked = set;
      this.unacked.set(session, set);
      session.on('close', () => {
        this.unacked.delete(session);
        for (const waiting of set) {
          waiting.sequence_number = 0;
          this.deliver(waiting);
        }
      });
    }
    unacked.add(pdu);
    session.send(pdu, () => unacked.delete(pdu));
  }

  /** A reply from a subscriber (mobile-originated), to the ESME's source address. */
  injectMo(from: string, text: string, to = '10658000'): void {
    this.stats.mo++;
    this.deliver(
      new smpp.PDU('deliver_sm', { source_addr: from, destination_addr: to, esm_class: 0, short_message: text }),
    );
  }

  /** Cuts every link at once, as a failing network would. */
  dropLinks(): void {
    for (const session of this.server?.sessions ?? []) session.destroy();
  }

  async stop(): Promise<void> {
    this.dropLinks();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.logFd !== undefined) closeSync(this.logFd);
    this.logFd = undefined;
  }
}
