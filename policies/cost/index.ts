/**
 * The cost policy pack as the engine loads it: `pulumi preview --policy-pack policies/cost
 * --policy-pack-config policies/cost/config.<env>.json`. Rules live in policies.ts.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK, policies } from "./policies";

new PolicyPack(PACK.name, { policies, enforcementLevel: PACK.enforcementLevel });
