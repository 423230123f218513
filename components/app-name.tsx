"use client";

import { createContext, useContext } from "react";
import type { ReactNode } from "react";

/**
 * The product's name (APP_NAME, read on the server by the root layout) for the page headers. A
 * context rather than a prop or a direct env read: AuthCard is also drawn by the error page, a client
 * component that cannot read the server's configuration, and pages should not have to pass it along.
 */
const AppNameContext = createContext("");

export function AppNameProvider({ name, children }: { name: string; children: ReactNode }) {
  return <AppNameContext value={name}>{children}</AppNameContext>;
}

export function AppName({ className = "" }: { className?: string }) {
  return <span className={className}>{useContext(AppNameContext)}</span>;
}
