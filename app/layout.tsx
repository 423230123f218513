import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { AppNameProvider } from "@/components/app-name";
import { getEnv } from "@/lib/env";
import themeColors from "@/lib/theme-colors.json";
import "./globals.css";

// The name comes from the running server's configuration, so titles are worked out per request
// (every page is rendered per request anyway, see `dynamic` below).
export function generateMetadata(): Metadata {
  const name = getEnv().APP_NAME;
  return {
    title: { default: name, template: `%s · ${name}` },
    description: "Sign in to your account",
  };
}

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: themeColors.light.canvas },
    { media: "(prefers-color-scheme: dark)", color: themeColors.dark.canvas },
  ],
};

// proxy.ts gives every response a fresh CSP nonce, which Next can only put on a page rendered for
// that request: a page prerendered at build time would carry no nonce and its scripts would not run.
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh bg-canvas font-sans text-fg antialiased">
        <AppNameProvider name={getEnv().APP_NAME}>{children}</AppNameProvider>
      </body>
    </html>
  );
}
