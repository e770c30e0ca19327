// A tiny static file server for the built site, as a plain host would be:
// a folder serves its index.html (a folder asked for without its trailing
// slash is redirected to it), every miss gets 404.html with status 404.
// Only for the tests: it listens on 127.0.0.1 at a port the system picks.
import http from "node:http";
import fs from "node:fs/promises";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".geojson": "application/geo+json",
  ".csv": "text/csv; charset=utf-8",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
};

export function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || "application/octet-stream";
}

async function statOrNull(file) {
  try {
    return await fs.stat(file);
  } catch {
    return null;
  }
}

/* Resolve a URL path to a file under root, or null when it would leave it. */
function fileFor(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes("\0")) return null;
  const file = path.resolve(root, "." + path.posix.normalize("/" + rel));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

/* Start serving `root` below the URL path `mount` ("/" or, as the site
   will be published, "/partners/"); resolves to {url, close(), log} where
   url is the site's address and log lists "STATUS path" per request. */
export async function serve(root, mount = "/") {
  root = path.resolve(root);
  if (!mount.endsWith("/")) mount += "/";
  const log = [];
  const server = http.createServer(async (req, res) => {
    const send = (status, type, body, extra = {}) => {
      log.push(`${status} ${req.url}`);
      res.writeHead(status, {
        "Content-Type": type,
        "Content-Length": Buffer.byteLength(body),
        "Cache-Control": "no-store",
        ...extra,
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        return send(405, "text/plain; charset=utf-8", "method not allowed\n", { Allow: "GET, HEAD" });
      }
      const url = new URL(req.url, "http://127.0.0.1");
      const inside = url.pathname.startsWith(mount) || url.pathname + "/" === mount;
      let file = inside ? fileFor(root, "/" + url.pathname.slice(mount.length)) : null;
      let st = file && (await statOrNull(file));
      if (st && st.isDirectory()) {
        if (!url.pathname.endsWith("/")) {
          return send(301, "text/plain; charset=utf-8", "moved\n", { Location: url.pathname + "/" + url.search });
        }
        file = path.join(file, "index.html");
        st = await statOrNull(file);
      }
      if (st && st.isFile()) {
        return send(200, contentType(file), await fs.readFile(file));
      }
      const missing = path.join(root, "404.html");
      const body = (await statOrNull(missing)) ? await fs.readFile(missing) : "not found\n";
      return send(404, "text/html; charset=utf-8", body);
    } catch (err) {
      return send(500, "text/plain; charset=utf-8", `server error: ${err.message}\n`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
