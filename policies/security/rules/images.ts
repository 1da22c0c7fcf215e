/** Image reference parsing shared by the Kubernetes and Docker image rules. */

export interface ImageRef {
  /** Registry host (docker.io when the reference names none). */
  registry: string;
  /** Repository path without the registry. */
  repository: string;
  tag?: string;
  digest?: string;
  /** A bare image ID (`sha256:...`) as Docker's `RemoteImage.imageId` yields. */
  imageId: boolean;
}

export function parseImage(ref: string): ImageRef {
  const trimmed = ref.trim();
  if (/^sha256:[A-Za-z0-9-]+$/.test(trimmed)) {
    return { registry: "", repository: "", digest: trimmed, imageId: true };
  }
  const [namePart, digest] = trimmed.split("@", 2);
  const slash = namePart.indexOf("/");
  const first = slash >= 0 ? namePart.slice(0, slash) : "";
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first.toLowerCase() : "docker.io";
  let rest = hasRegistry ? namePart.slice(slash + 1) : namePart;
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.indexOf(":", lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return {
    registry: registry === "index.docker.io" ? "docker.io" : registry,
    repository: rest,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    imageId: false,
  };
}

/** Tags that move: pinning to them pins nothing. */
export const DEFAULT_FLOATING_TAGS = ["latest", "stable", "edge", "nightly", "main", "master"];

/** Why `ref` is not pinned, or undefined when it is (a digest, an image ID or a fixed tag). */
export function unpinnedReason(ref: string, floatingTags: readonly string[]): string | undefined {
  const image = parseImage(ref);
  if (image.imageId || image.digest) return undefined;
  if (!image.tag) return "has no tag (it resolves to :latest)";
  if (floatingTags.includes(image.tag.toLowerCase())) return `uses the moving tag ":${image.tag}"`;
  return undefined;
}

export const DEFAULT_REGISTRIES = [
  "quay.io",
  "docker.io",
  "gcr.io",
  "registry.k8s.io",
  "docker.elastic.co",
  "public.ecr.aws",
  // cAdvisor is published here from v0.53 on (gcr.io gets no new tags); only that repository.
  "ghcr.io/google/cadvisor",
];

/** Whether the image comes from one of `allowed` (a host, a host/path prefix, or one whole repository). */
export function registryAllowed(ref: string, allowed: readonly string[]): boolean {
  const image = parseImage(ref);
  if (image.imageId) return true;
  const full = `${image.registry}/${image.repository}`;
  return allowed.some((entry) => {
    const e = entry.toLowerCase().replace(/\/+$/, "");
    return image.registry === e || full === e || full.startsWith(`${e}/`);
  });
}
