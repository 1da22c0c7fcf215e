/**
 * The CloudWatch dashboard body (pure): the state of every alarm, then one graph per alarm showing its
 * metric against its threshold, grouped by area. A metric widget with `annotations.alarms` draws the
 * alarm's own metric (or expression) and threshold (CloudWatch "Dashboard Body Structure and Syntax":
 * metric widget `annotations`, alarm status widget `alarms`).
 */

export interface DashboardAlarm {
  arn: string;
  /** Short title of the graph. */
  title: string;
  /** Area heading the graph is grouped under ("Grafana database", "EKS nodes", ...). */
  group: string;
}

export interface DashboardInput {
  region: string;
  title: string;
  /** The composite alarm, shown first. */
  composite?: string;
  alarms: DashboardAlarm[];
}

interface Widget {
  type: "text" | "alarm" | "metric";
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/** An alarm status widget holds at most 100 alarms. */
const ALARMS_PER_STATUS_WIDGET = 100;

export function dashboardBody(input: DashboardInput): string {
  const widgets: Widget[] = [];
  let y = 0;
  widgets.push({
    type: "text",
    x: 0,
    y,
    width: 24,
    height: 2,
    properties: {
      markdown: `# ${input.title}\nAlarm states first (red: ALARM, grey: INSUFFICIENT_DATA), then each alarm's metric against its threshold. Every alarm description links its runbook.`,
    },
  });
  y += 2;
  const states = [...(input.composite ? [input.composite] : []), ...input.alarms.map((a) => a.arn)];
  for (let i = 0; i < states.length; i += ALARMS_PER_STATUS_WIDGET) {
    const chunk = states.slice(i, i + ALARMS_PER_STATUS_WIDGET);
    const height = Math.min(12, 2 + Math.ceil(chunk.length / 4));
    widgets.push({
      type: "alarm",
      x: 0,
      y,
      width: 24,
      height,
      properties: { title: "Alarm states", alarms: chunk, sortBy: "stateUpdatedTimestamp" },
    });
    y += height;
  }
  const groups = [...new Set(input.alarms.map((a) => a.group))];
  for (const group of groups) {
    widgets.push({ type: "text", x: 0, y, width: 24, height: 1, properties: { markdown: `## ${group}` } });
    y += 1;
    input.alarms
      .filter((a) => a.group === group)
      .forEach((a, i) => {
        const x = (i % 3) * 8;
        if (i > 0 && i % 3 === 0) y += 6;
        widgets.push({
          type: "metric",
          x,
          y,
          width: 8,
          height: 6,
          properties: {
            title: a.title,
            region: input.region,
            annotations: { alarms: [a.arn] },
            view: "timeSeries",
          },
        });
      });
    y += 6;
  }
  return JSON.stringify({ widgets });
}
