/**
 * The logging stack's own PKI (@pulumi/tls): a CA, and certificates it signs for Elasticsearch (HTTP and
 * transport), Logstash's Beats input and Filebeat's client authentication. Private keys live in the
 * Pulumi state as secrets and reach the pods only through Kubernetes Secrets / secret files.
 *
 * Certificates are re-issued (and the pods roll) on the first `pulumi up` within `earlyRenewalHours`
 * of expiry; the CA lives ten years.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

const CA_VALIDITY_HOURS = 10 * 365 * 24;
const CERT_VALIDITY_HOURS = 365 * 24;
const RENEW_HOURS = 30 * 24;

export interface Pki {
  caCert: pulumi.Output<string>;
  caKey: pulumi.Output<string>;
}

export interface IssuedCert {
  cert: pulumi.Output<string>;
  /** PKCS#8 PEM (Logstash's Beats input accepts only PKCS#8). */
  key: pulumi.Output<string>;
}

export function createCa(name: string, subject: string, parent: pulumi.Resource): Pki {
  const key = new tls.PrivateKey(`${name}-key`, { algorithm: "RSA", rsaBits: 3072 }, { parent });
  const cert = new tls.SelfSignedCert(
    `${name}-cert`,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: subject, organization: "monitoring stack" },
      isCaCertificate: true,
      validityPeriodHours: CA_VALIDITY_HOURS,
      earlyRenewalHours: RENEW_HOURS,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    },
    { parent },
  );
  return { caCert: cert.certPem, caKey: pulumi.secret(key.privateKeyPem) };
}

export function issueCert(
  name: string,
  pki: Pki,
  subject: { commonName: string; dnsNames: string[]; ipAddresses?: string[] },
  parent: pulumi.Resource,
): IssuedCert {
  const key = new tls.PrivateKey(`${name}-key`, { algorithm: "RSA", rsaBits: 2048 }, { parent });
  const csr = new tls.CertRequest(
    `${name}-csr`,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: subject.commonName, organization: "monitoring stack" },
      dnsNames: subject.dnsNames,
      ipAddresses: subject.ipAddresses,
    },
    { parent },
  );
  const cert = new tls.LocallySignedCert(
    `${name}-cert`,
    {
      certRequestPem: csr.certRequestPem,
      caPrivateKeyPem: pki.caKey,
      caCertPem: pki.caCert,
      validityPeriodHours: CERT_VALIDITY_HOURS,
      earlyRenewalHours: RENEW_HOURS,
      allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
    },
    { parent },
  );
  return { cert: cert.certPem, key: pulumi.secret(key.privateKeyPemPkcs8) };
}
