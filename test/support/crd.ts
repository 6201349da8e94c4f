// A CustomResourceDefinition for test fixtures: kind Widget of group example.com, version v1, whose
// `spec` has the given properties (YAML lines, each `name: {schema}`) and required fields.
export function widgetCrd(properties: readonly string[], required: readonly string[] = []): string {
  const indent = ' '.repeat(16);
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object${required.length > 0 ? `\n              required: [${required.join(', ')}]` : ''}
              properties:
${properties.map((p) => indent + p).join('\n')}`;
}
