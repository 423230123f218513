/**
 * Which modules make up a page's first-load JavaScript over the blank page's: Turbopack's own build
 * analysis (`next analyze -o`, then `next analyze export`), run on a fresh twin (twin.ts), so the blank
 * page exists. Not part of `npm run bench`: it costs about as much CPU as a build. Run by hand:
 *
 *   npx tsx bench/js-breakdown.ts [route, default /login] [baseline, default /bench-blank]
 *
 * The analysis compiles on its own, so its chunk names differ from the bench build's; the chunks and
 * their sizes match (compare the raw sizes with figure 4's `loginChunks` in the JSON). Sizes per module
 * are minified bytes and each module gzipped on its own, so the gzip column does not add up exactly
 * to the chunk's gzip size.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { prepareTwin, removeTwin } from "./twin";

type Part = {
  type: "part";
  route: string;
  filename: string;
  source_path: string;
  size: number;
  compressed_size: number;
};

const [route = "/login", baseline = "/bench-blank"] = process.argv.slice(2);

function next(dir: string, args: string[]): string {
  const run = spawnSync(
    process.execPath,
    [path.join(dir, "node_modules/next/dist/bin/next"), ...args],
    {
      cwd: dir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      encoding: "utf8",
      maxBuffer: 512 * 1024 * 1024,
    },
  );
  if (run.status !== 0) throw new Error(`next ${args.join(" ")} failed:\n${run.stderr}`);
  return run.stdout;
}

/** Client JavaScript parts of a route, by output file name. */
function clientParts(parts: Part[], name: string): Map<string, Part[]> {
  const files = new Map<string, Part[]>();
  for (const p of parts) {
    if (p.route !== name || !p.filename.startsWith("[client-fs]") || !p.filename.endsWith(".js"))
      continue;
    const file = path.basename(p.filename);
    files.set(file, [...(files.get(file) ?? []), p]);
  }
  return files;
}

/** A rough owner for a module: a package, or our own folder. */
function ownerOf(source: string): string {
  const local = source.replace("[project]/", "");
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/(v4\/\w+))?/.exec(local);
  if (pkg) return pkg[2] ? `${pkg[1]}/${pkg[2]}` : (pkg[1] ?? local);
  return local.split("/")[0] ?? local;
}

const twin = prepareTwin();
try {
  next(twin.dir, ["analyze", "-o", "."]);
  const parts = next(twin.dir, ["analyze", "export", "."])
    .split("\n")
    .filter((line) => line.includes('"type":"part"'))
    .map((line) => JSON.parse(line) as Part);
  const page = clientParts(parts, route);
  const base = clientParts(parts, baseline);
  const extra = [...page].filter(([file]) => !base.has(file));
  const dropped = [...base].filter(([file]) => !page.has(file)).map(([file]) => file);
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  console.log(`${route}: chunks ${baseline} does not load (minified / gzip per module)`);
  for (const [file, modules] of extra) {
    const total = modules.reduce((s, m) => s + m.size, 0);
    console.log(`\n${file}: ${kb(total)} minified, ${modules.length} modules`);
    for (const m of modules.sort((a, b) => b.size - a.size)) {
      console.log(
        `  ${kb(m.size).padStart(8)} ${kb(m.compressed_size).padStart(8)}  ${m.source_path.replace("[project]/", "")}`,
      );
    }
  }
  const owners = new Map<string, [number, number]>();
  for (const m of extra.flatMap(([, modules]) => modules)) {
    const [size, gz] = owners.get(ownerOf(m.source_path)) ?? [0, 0];
    owners.set(ownerOf(m.source_path), [size + m.size, gz + m.compressed_size]);
  }
  console.log("\nBy owner:");
  for (const [owner, [size, gz]] of [...owners].sort((a, b) => b[1][0] - a[1][0])) {
    console.log(`  ${kb(size).padStart(8)} ${kb(gz).padStart(8)}  ${owner}`);
  }
  if (dropped.length > 0)
    console.log(`\n${baseline} loads, ${route} does not: ${dropped.join(", ")}`);
} finally {
  removeTwin(twin.dir);
}
