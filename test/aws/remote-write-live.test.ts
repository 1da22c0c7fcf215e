/**
 * The rendered remote_write, run by the real Prometheus (3.5) against a receiver in this test: what
 * leaves Prometheus carries the `cluster` external label and the replica as `__replica__` (the pair
 * Amazon Managed Service for Prometheus deduplicates on) and no `prometheus_replica`, because write
 * relabelling sees the external labels. SigV4 is left out: there are no AWS credentials here.
 *
 * The receiver decodes the remote-write 1.0 body itself: a snappy block (github.com/google/snappy
 * format_description.txt) holding a prometheus.WriteRequest protobuf (prompb/types.proto: TimeSeries = 1,
 * Label name = 1, value = 2).
 */
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderPrometheusConfig } from "../../components/prometheus/render";
import { remoteWriteQueue } from "../../stacks/sections/prometheus";
import { freePorts, HOST, ProcessGroup } from "../helpers/processes";
import { scratchDir } from "../helpers/scratch";
import { toolPath } from "../helpers/tools";

/** Snappy block format: a varint length, then literals and back-references. */
function snappyDecode(input: Uint8Array): Uint8Array {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const b = input[pos++];
    length |= (b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(length);
  let o = 0;
  while (pos < input.length) {
    const tag = input[pos++];
    const type = tag & 3;
    if (type === 0) {
      let len = tag >> 2;
      if (len >= 60) {
        const bytes = len - 59;
        len = 0;
        for (let i = 0; i < bytes; i++) len |= input[pos++] << (8 * i);
      }
      len += 1;
      out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      len = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | input[pos++];
    } else if (type === 2) {
      len = (tag >> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      len = (tag >> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24);
      pos += 4;
    }
    for (let i = 0; i < len; i++, o++) out[o] = out[o - offset];
  }
  return out;
}

/** The length-delimited fields of a protobuf message, by field number (other wire types skipped). */
function fields(buf: Uint8Array): { field: number; bytes: Uint8Array }[] {
  const out: { field: number; bytes: Uint8Array }[] = [];
  let pos = 0;
  const varint = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = buf[pos++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint();
      out.push({ field: key >> 3, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

/** Label sets of the series in a WriteRequest. */
function seriesLabels(request: Uint8Array): Record<string, string>[] {
  const text = new TextDecoder();
  return fields(request)
    .filter((f) => f.field === 1)
    .map((ts) =>
      Object.fromEntries(
        fields(ts.bytes)
          .filter((f) => f.field === 1)
          .map((label) => {
            const kv = fields(label.bytes);
            const get = (n: number) => text.decode(kv.find((f) => f.field === n)?.bytes ?? new Uint8Array());
            return [get(1), get(2)];
          }),
      ),
    );
}

const group = new ProcessGroup(scratchDir("rw-live-"));
let receiver: Server | undefined;
afterAll(async () => {
  await group.stopAll();
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

describe("remote write as AMP receives it (live Prometheus)", () => {
  it("sends cluster and __replica__, not prometheus_replica", async () => {
    const [promPort, rwPort] = await freePorts(2);
    const received: Record<string, string>[] = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.headers["content-encoding"] === "snappy")
          received.push(...seriesLabels(snappyDecode(new Uint8Array(Buffer.concat(chunks)))));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(rwPort, HOST, resolve));

    const config = renderPrometheusConfig({
      cluster: "amp-test",
      environment: "prod",
      scrapeInterval: "1s",
      evaluationInterval: "1s",
      alertmanagers: [],
      ruleFiles: [],
      scrapeConfigs: [{ job_name: "prometheus", static_configs: [{ targets: [`${HOST}:${promPort}`] }] }],
      remoteWrite: {
        url: `http://${HOST}:${rwPort}/api/v1/remote_write`,
        queue: { ...remoteWriteQueue(100), batchSendDeadline: "1s" },
        ampDeduplication: true,
      },
    });
    const file = path.join(group.workDir, "prometheus.yml");
    writeFileSync(file, config);
    group.start(
      "prometheus",
      toolPath("prometheus"),
      [
        `--config.file=${file}`,
        `--storage.tsdb.path=${path.join(group.workDir, "data")}`,
        `--web.listen-address=${HOST}:${promPort}`,
      ],
      { PROMETHEUS_REPLICA: "prometheus-1" },
    );
    const up = await group.waitFor("the scrape of up to arrive", 60_000, async () =>
      received.find((l) => l.__name__ === "up" && l.job === "prometheus"),
    );
    expect(up).toMatchObject({ cluster: "amp-test", environment: "prod", __replica__: "prometheus-1" });
    expect(received.length).toBeGreaterThan(10);
    for (const labels of received) {
      expect(labels).not.toHaveProperty("prometheus_replica");
      expect(labels.__replica__).toBe("prometheus-1");
      expect(labels.cluster).toBe("amp-test");
    }
  }, 90_000);
});

describe("the test's own decoders", () => {
  it("decode a snappy block with literals and copies", () => {
    // "abcabcabcabc": literal "abc" (tag (3-1)<<2), then a 1-byte-offset copy of 9 bytes at offset 3.
    const block = new Uint8Array([12, 0x08, 97, 98, 99, (1 << 0) | ((9 - 4) << 2), 3]);
    expect(new TextDecoder().decode(snappyDecode(block))).toBe("abcabcabcabc");
  });
});
