/** AWS replacement rules (filled below from hashicorp/terraform-provider-aws sources). */
import type { FieldTable } from "./replacement-rules";

export const AWS_RULES: Record<string, FieldTable> = {};
