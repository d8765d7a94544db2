// E-mail over SMTP through nodemailer: one pooled transport (STARTTLS and auth come from the URL,
// e.g. smtp://user:pass@host:587), text and HTML from the same template. An SMTP answer in the 4xx
// range is temporary (try later), 5xx permanent.
import nodemailer, { type Transporter } from 'nodemailer';

export type MailOutcome = { ok: true; id: string } | { ok: false; temporary: boolean; reason: string };

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export class SmtpChannel {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(
      url.includes('?') || !url.startsWith('smtp') ? url : `${url}?pool=true`,
    );
  }

  async send(mail: Mail): Promise<MailOutcome> {
    try {
      const info = await this.transport.sendMail({ from: this.from, ...mail });
      return { ok: true, id: String(info.messageId ?? info.response) };
    } catch (error) {
      const code = Number((error as { responseCode?: number }).responseCode ?? 0);
      const reason = code ? `smtp_${code}` : `smtp_${(error as { code?: string }).code ?? 'error'}`;
      return { ok: false, temporary: code === 0 || (code >= 400 && code < 500), reason };
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** The HTML twin of a plain-text message: escaped, paragraphs and line breaks kept. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<p>${escaped.replace(/\n{2,}/g, '</p><p>').replace(/\n/g, '<br>')}</p>`;
}
