/**
 * Checks the Pulumi engine makes on every resource registration before any provider is called, which
 * Pulumi's mock monitor skips. Each check names the engine source it mirrors (pulumi/pulumi) and uses
 * its wording. Pure: fed one registration at a time, in the order the program sends them.
 */

/** One registration as the resource monitor receives it. */
export interface Registration {
  urn: string;
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  /** Provider reference "<provider urn>::<provider id>", or "" for the default provider. */
  provider: string;
  dependencies: string[];
  /** Provider id the mocks returned (only for provider resources). */
  id?: string;
}

const PROVIDER_PREFIX = "pulumi:providers:";

/** The package a type token belongs to ("aws" for "aws:s3/bucket:Bucket"). */
function packageOf(type: string): string {
  return type.split(":")[0];
}

/** sdk/go/common/resource/urn/urn.go IsValid: the prefix and at least three "::" delimiters. */
function isValidUrn(urn: string): boolean {
  return urn.startsWith("urn:pulumi:") && urn.split("::").length - 1 >= 3;
}

/** sdk/go/common/providers/reference.go ParseReference + validateURN: "<urn>::<id>", split at the last "::". */
function parseProviderReference(ref: string): { urn: string; id: string } | string {
  const i = ref.lastIndexOf("::");
  if (i < 0) return `expected '::' in provider reference '${ref}'`;
  const urn = ref.slice(0, i);
  if (!isValidUrn(urn)) return `${urn} is not a valid URN`;
  // The type is the last "$"-separated part of the qualified type: pulumi:providers:<pkg>.
  const type = urn.split("::")[2].split("$").pop() ?? "";
  const module = type.split(":").slice(0, 2).join(":");
  if (module !== "pulumi:providers") {
    return `invalid module in type: expected 'pulumi:providers', got '${module}'`;
  }
  return { urn, id: ref.slice(i + 2) };
}

export class EngineChecks {
  private readonly urns = new Set<string>();
  private readonly providers = new Map<string, string>();
  readonly errors: string[] = [];

  /**
   * @param disabledDefaultProviders `pulumi:disable-default-providers` (JSON list of package names or "*").
   */
  constructor(private readonly disabledDefaultProviders: string[] = []) {}

  register(r: Registration): void {
    // pkg/resource/deploy/source_eval.go RegisterResource: custom (and remote) resources need a
    // three-part type token (sdk/go/common/tokens/tokens.go ParseTypeToken); components may use any.
    if (r.custom && r.type.split(":").length < 3) {
      this.errors.push(`Type '${r.type}' is not a valid type token (must have format '*:*:*')`);
    }
    // pkg/resource/deploy/step_generator.go checkParent: the parent must already be registered.
    if (r.parent && !this.urns.has(r.parent)) {
      this.errors.push(`could not find parent resource ${r.parent}`);
    }
    // step_generator.go generateURN + sdk/go/common/diag/errors.go GetDuplicateResourceURNError (2001).
    if (this.urns.has(r.urn)) {
      this.errors.push(`Duplicate resource URN '${r.urn}'; try giving it a unique name`);
    }
    this.urns.add(r.urn);
    // pkg/resource/deploy/snapshot.go VerifyIntegrity (run when `pulumi up` writes the snapshot): every
    // dependency must be a resource registered before this one.
    for (const dep of r.dependencies) {
      if (!this.urns.has(dep) || dep === r.urn) {
        this.errors.push(`resource ${r.urn}'s dependency ${dep} refers to missing resource`);
      }
    }
    if (r.custom && !r.type.startsWith(PROVIDER_PREFIX)) this.checkProvider(r);
    if (r.type.startsWith(PROVIDER_PREFIX)) this.providers.set(r.urn, r.id ?? "");
  }

  /** step_generator.go loadResourceProvider + default_providers.go shouldDenyRequest, diag codes 2006/2007/2015. */
  private checkProvider(r: Registration): void {
    if (r.provider === "") {
      const pkg = packageOf(r.type);
      if (
        pkg !== "pulumi" &&
        this.disabledDefaultProviders.some((p) => p.trim() === "*" || p.trim() === pkg)
      ) {
        this.errors.push(`Default provider for '${pkg}' disabled. '${r.urn}' must use an explicit provider.`);
      }
      return;
    }
    const ref = parseProviderReference(r.provider);
    if (typeof ref === "string") {
      this.errors.push(`bad provider reference '${r.provider}' for resource '${r.urn}': ${ref}`);
      return;
    }
    if (this.providers.get(ref.urn) !== ref.id) {
      this.errors.push(`unknown provider '${r.provider}' for resource '${r.urn}'`);
    }
  }
}

/** Reads `pulumi:disable-default-providers` as the engine does (a JSON list; "" means none). */
export function disabledDefaultProviders(config: Record<string, string>): string[] {
  const text = config["pulumi:disable-default-providers"];
  if (!text) return [];
  try {
    const list = JSON.parse(text) as unknown;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}
