/** The stack's Grafana outputs: the URL, and the admin password marked secret (never plain). */
import { describe, expect, it } from "vitest";
import { mockStack } from "../helpers/mocks";

const mock = mockStack("dev");

import * as pulumi from "@pulumi/pulumi";
import { MonitoringStack } from "../../components/stack";
import { resolveStackSpec } from "../../stacks/resolve";

describe("Grafana outputs", () => {
  it("exports the URL and a secret admin password", async () => {
    const stack = new MonitoringStack("monitoring", {
      spec: resolveStackSpec({}, { stack: "dev", secretKeys: new Set() }),
    });
    await mock.settle();
    expect(stack.grafana).toBeDefined();
    const url = await new Promise<string>((resolve) => stack.grafana!.url.apply(resolve));
    expect(url).toBe("http://127.0.0.1:3000/");
    expect(await pulumi.isSecret(stack.grafana!.adminPassword)).toBe(true);
  });
});
