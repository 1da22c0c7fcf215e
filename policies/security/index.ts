/** CrossGuard entry point: `pulumi preview --policy-pack policies/security --policy-pack-config policies/security/config.<env>.json`. */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("monitoring-security", { policies, enforcementLevel: "mandatory" });
