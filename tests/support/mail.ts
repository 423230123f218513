/** Reads the mail catcher's REST API (maildev) the way a person reads their inbox. */
type MaildevAddress = { address: string };
type MaildevEmail = {
  id: string;
  subject: string;
  to: MaildevAddress[];
  html?: string;
  text?: string;
  time: string;
};

export async function listMail(mailUrl: string): Promise<MaildevEmail[]> {
  const res = await fetch(`${mailUrl}/api/email`);
  if (!res.ok) throw new Error(`mail catcher answered ${res.status}`);
  return (await res.json()) as MaildevEmail[];
}

/** Waits for the newest mail to `to` whose subject matches, received after `since`. */
export async function waitForMail(
  mailUrl: string,
  {
    to,
    subject,
    since = 0,
    timeoutMs = 20_000,
  }: { to: string; subject: RegExp; since?: number; timeoutMs?: number },
): Promise<MaildevEmail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mails = (await listMail(mailUrl))
      .filter((m) => m.to.some((a) => a.address.toLowerCase() === to.toLowerCase()))
      .filter((m) => subject.test(m.subject) && new Date(m.time).getTime() >= since - 1_000);
    const newest = mails.at(-1);
    if (newest) return newest;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
}

/** The first link in a mail whose path is `pathname` (e.g. "/verify-email"), HTML entities decoded. */
export function linkIn(mail: MaildevEmail, pathname: string): URL {
  const html = mail.html ?? mail.text ?? "";
  for (const match of html.matchAll(/href=["']([^"']+)["']/g)) {
    const href = (match[1] ?? "").replaceAll("&amp;", "&");
    try {
      const url = new URL(href);
      if (url.pathname === pathname) return url;
    } catch {
      // not an absolute URL
    }
  }
  throw new Error(`no ${pathname} link in mail "${mail.subject}"`);
}
