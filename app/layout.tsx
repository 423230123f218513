import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Account", template: "%s · Account" },
  description: "Sign in to your account",
};

export const viewport: Viewport = {
  themeColor: "#fafafa",
};

// proxy.ts gives every response a fresh CSP nonce, which Next can only put on a page rendered for
// that request: a page prerendered at build time would carry no nonce and its scripts would not run.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh bg-zinc-50 font-sans text-zinc-900 antialiased">{children}</body>
    </html>
  );
}
