/** The bench's table and its JSON files. */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const RESULTS_DIR = fileURLToPath(new URL("results", import.meta.url));

export type Verdict = "PASS" | "MISS" | "INFO" | "INVALID" | "NOT RUN";

export type Row = {
  measurement: string;
  figure: string;
  target: string;
  verdict: Verdict;
};

export function verdict(pass: boolean, valid = true): Verdict {
  if (!valid) return "INVALID";
  return pass ? "PASS" : "MISS";
}

export function table(rows: Row[]): string {
  const headers = ["Measurement", "Figure", "Target", "Result"];
  const cells = rows.map((r) => [r.measurement, r.figure, r.target, r.verdict]);
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)),
  );
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [line(headers), rule, ...cells.map(line)].join("\n");
}

export function gitInfo(cwd: string): { sha: string; dirty: boolean } {
  const sha = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd, encoding: "utf8" });
  // --no-optional-locks: read-only, never refreshes the index.
  const status = spawnSync("git", ["--no-optional-locks", "status", "--porcelain"], {
    cwd,
    encoding: "utf8",
  });
  return {
    sha: sha.status === 0 ? sha.stdout.trim() : "unknown",
    dirty: status.status === 0 ? status.stdout.trim() !== "" : true,
  };
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Writes `<name>latest.json` and a copy named by time and git sha; returns both paths. */
export function writeResults(result: object, sha: string, prefix = ""): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const files = [
    path.join(RESULTS_DIR, `${prefix}latest.json`),
    path.join(RESULTS_DIR, `${prefix}${stamp}-${sha}.json`),
  ];
  for (const file of files) writeFileSync(file, json);
  return files;
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const ms = (value: number) =>
  `${value.toFixed(Math.abs(value) < 1 ? 2 : Math.abs(value) < 10 ? 1 : 0)} ms`;
export const signedMs = (value: number) => `${value < 0 ? "−" : "+"}${ms(Math.abs(value))}`;
export const x = (ratio: number) => `${ratio.toFixed(2)}×`;
