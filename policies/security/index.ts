/** CrossGuard entry point: `pulumi preview --policy-pack policies/security --policy-pack-config policies/security/config.<env>.json`. */
import { PolicyPack } from "@pulumi/policy";
import { PACK, policies } from "./policies";

new PolicyPack(PACK.name, { policies, enforcementLevel: PACK.enforcementLevel });
