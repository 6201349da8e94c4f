// Ingress API validation (spec f.3, f.4): the field errors the API server returns when it refuses
// an Ingress (networking.k8s.io/v1), in its order and with its exact texts. Paths: `pathType`
// required and one of three values; `Exact`/`Prefix` paths absolute and free of `//`, `/./`,
// `/../`, `%2f`, `%2F`, not ending in `/..` or `/.`; `ImplementationSpecific` paths only absolute
// when non-empty. Hosts, backends, TLS, class name, and the create-time check that the legacy class
// annotation agrees with `ingressClassName`.
//
// Input is user data typed loosely (`unknown` fields are tolerated); nothing here throws.
// Deliberately absent: metadata (name/labels) validation, which is generic to every kind.

import type { V1HTTPIngressPath, V1Ingress, V1IngressBackend, V1IngressSpec } from '../model/k8s-types';
import { fieldErrorText, invalid, notSupported, required, type FieldError } from '../labels/field-error';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isIPAddress,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from '../labels/formats';
import { PATH_TYPES } from './ingress-paths';

export const LEGACY_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface IngressValidationOptions {
  /** RelaxedServiceNameValidation feature: backend Service names are DNS-1123 labels, not DNS-1035. */
  readonly relaxedServiceNameValidation?: boolean;
}

const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'] as const;
const INVALID_PATH_SUFFIXES = ['/..', '/.'] as const;

/**
 * One `http.paths[j]` entry at `fieldPath` (e.g. `spec.rules[0].http.paths[1]`): a missing
 * `pathType` is the only error reported for the entry; otherwise the path checks for its type,
 * then the backend.
 */
export function validateIngressPath(
  path: Partial<V1HTTPIngressPath> | null | undefined,
  fieldPath: string,
  options: IngressValidationOptions = {},
): FieldError[] {
  const entry = (path ?? {}) as Partial<V1HTTPIngressPath>;
  const pathType: unknown = entry.pathType;
  if (pathType === undefined || pathType === null) {
    return [required(`${fieldPath}.pathType`, 'pathType must be specified')];
  }
  const text = typeof entry.path === 'string' ? entry.path : '';
  const pathField = `${fieldPath}.path`;
  const errs: FieldError[] = [];
  switch (pathType) {
    case 'Exact':
    case 'Prefix':
      if (!text.startsWith('/')) errs.push(invalid(pathField, text, 'must be an absolute path'));
      if (text.length > 0) {
        for (const seq of INVALID_PATH_SEQUENCES) {
          if (text.includes(seq)) errs.push(invalid(pathField, text, `must not contain '${seq}'`));
        }
        for (const suffix of INVALID_PATH_SUFFIXES) {
          if (text.endsWith(suffix)) errs.push(invalid(pathField, text, `cannot end with '${suffix}'`));
        }
      }
      break;
    case 'ImplementationSpecific':
      if (text.length > 0 && !text.startsWith('/')) errs.push(invalid(pathField, text, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(`${fieldPath}.pathType`, String(pathType), PATH_TYPES));
  }
  errs.push(...validateIngressBackend(entry.backend, `${fieldPath}.backend`, options));
  return errs;
}

/** A backend (`defaultBackend` or a path's `backend`), spec f.4. */
export function validateIngressBackend(
  backend: V1IngressBackend | null | undefined,
  fieldPath: string,
  options: IngressValidationOptions = {},
): FieldError[] {
  const b = (backend ?? {}) as V1IngressBackend;
  const hasResource = b.resource !== undefined && b.resource !== null;
  const hasService = b.service !== undefined && b.service !== null;
  if (hasResource && hasService) return [invalid(fieldPath, '', 'cannot set both resource and service backends')];
  if (hasResource) return validateResourceBackend(b.resource as unknown as Record<string, unknown>, `${fieldPath}.resource`);
  if (!hasService) return [invalid(fieldPath, '', 'resource or service backend is required')];

  const errs: FieldError[] = [];
  const service = b.service!;
  const name = typeof service.name === 'string' ? service.name : '';
  const nameField = `${fieldPath}.service.name`;
  if (name.length === 0) errs.push(required(nameField));
  else {
    const messages = options.relaxedServiceNameValidation ? isDNS1123Label(name) : isDNS1035Label(name);
    for (const m of messages) errs.push(invalid(nameField, name, m));
  }
  const portName = typeof service.port?.name === 'string' ? service.port.name : '';
  const portNumber = typeof service.port?.number === 'number' ? service.port.number : 0;
  if (portName.length > 0 && portNumber !== 0) errs.push(invalid(fieldPath, '', 'cannot set both port name & port number'));
  else if (portName.length > 0) {
    for (const m of isValidPortName(portName)) errs.push(invalid(`${fieldPath}.service.port.name`, portName, m));
  } else if (portNumber !== 0) {
    for (const m of isValidPortNum(portNumber)) errs.push(invalid(`${fieldPath}.service.port.number`, portNumber, m));
  } else errs.push(required(fieldPath, 'port name or number is required'));
  return errs;
}

/**
 * The whole spec at `fieldPath` (normally `spec`): rules or defaultBackend required, the default
 * backend, each rule (host, then `http`), TLS hosts and secret names, and `ingressClassName`.
 */
export function validateIngressSpec(
  spec: V1IngressSpec | null | undefined,
  fieldPath = 'spec',
  options: IngressValidationOptions = {},
): FieldError[] {
  const s = (spec ?? {}) as V1IngressSpec;
  const rules = Array.isArray(s.rules) ? s.rules : [];
  const errs: FieldError[] = [];
  const hasDefault = s.defaultBackend !== undefined && s.defaultBackend !== null;
  if (rules.length === 0 && !hasDefault) {
    errs.push(invalid(fieldPath, rules, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (hasDefault) errs.push(...validateIngressBackend(s.defaultBackend, `${fieldPath}.defaultBackend`, options));
  rules.forEach((rule, i) => {
    const rulePath = `${fieldPath}.rules[${i}]`;
    const host = typeof rule?.host === 'string' ? rule.host : '';
    if (host.length > 0) {
      if (isIPAddress(host)) errs.push(invalid(`${rulePath}.host`, host, 'must be a DNS name, not an IP address'));
      const messages = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of messages) errs.push(invalid(`${rulePath}.host`, host, m));
    }
    const http = rule?.http;
    if (http !== undefined && http !== null) {
      const paths = Array.isArray(http.paths) ? http.paths : [];
      if (paths.length === 0) errs.push(required(`${rulePath}.http.paths`));
      paths.forEach((p, j) => errs.push(...validateIngressPath(p, `${rulePath}.http.paths[${j}]`, options)));
    }
  });
  (Array.isArray(s.tls) ? s.tls : []).forEach((tls, i) => {
    const tlsPath = `${fieldPath}.tls[${i}]`;
    (Array.isArray(tls?.hosts) ? tls.hosts : []).forEach((host, j) => {
      const h = String(host);
      const messages = h.includes('*') ? isWildcardDNS1123Subdomain(h) : isDNS1123Subdomain(h);
      for (const m of messages) errs.push(invalid(`${tlsPath}.hosts[${j}]`, h, m));
    });
    const secretName = typeof tls?.secretName === 'string' ? tls.secretName : '';
    if (secretName.length > 0) {
      for (const m of isDNS1123Subdomain(secretName)) errs.push(invalid(`${tlsPath}.secretName`, secretName, m));
    }
  });
  if (typeof s.ingressClassName === 'string') {
    for (const m of isDNS1123Subdomain(s.ingressClassName)) {
      errs.push(invalid(`${fieldPath}.ingressClassName`, s.ingressClassName, m));
    }
  }
  return errs;
}

/**
 * Create-time validation of an Ingress: the spec, plus (spec f.3) the legacy
 * `kubernetes.io/ingress.class` annotation must equal `spec.ingressClassName` when both are set.
 */
export function validateIngressCreate(ingress: V1Ingress, options: IngressValidationOptions = {}): FieldError[] {
  const errs = validateIngressSpec(ingress.spec, 'spec', options);
  const annotations = ingress.metadata?.annotations ?? {};
  const annotation = Object.hasOwn(annotations, LEGACY_INGRESS_CLASS_ANNOTATION) ? annotations[LEGACY_INGRESS_CLASS_ANNOTATION] : undefined;
  const className = ingress.spec?.ingressClassName;
  if (annotation !== undefined && typeof className === 'string' && annotation !== className) {
    errs.push(
      invalid(
        `annotations.${LEGACY_INGRESS_CLASS_ANNOTATION}`,
        String(annotation),
        'must match `ingressClassName` when both are specified',
      ),
    );
  }
  return errs;
}

/** Field errors rendered the way the API server prints them. */
export function ingressErrorTexts(errors: readonly FieldError[]): string[] {
  return errors.map(fieldErrorText);
}

// A `TypedLocalObjectReference` backend: optional apiGroup (DNS-1123 subdomain), kind and name
// required and valid path segment names.
function validateResourceBackend(resource: Record<string, unknown>, fieldPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof resource.apiGroup === 'string') {
    for (const m of isDNS1123Subdomain(resource.apiGroup)) errs.push(invalid(`${fieldPath}.apiGroup`, resource.apiGroup, m));
  }
  for (const field of ['kind', 'name'] as const) {
    const value = typeof resource[field] === 'string' ? (resource[field] as string) : '';
    if (value === '') errs.push(required(`${fieldPath}.${field}`, `${field} is required`));
    else for (const m of pathSegmentNameErrors(value)) errs.push(invalid(`${fieldPath}.${field}`, value, m));
  }
  return errs;
}

// Path segment names (`IsValidPathSegmentName`): not `.` or `..`, no `/` or `%`.
function pathSegmentNameErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const illegal of ['/', '%']) {
    if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  }
  return errs;
}
