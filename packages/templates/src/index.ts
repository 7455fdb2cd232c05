// Public surface of @mailq/templates: rendering stored Handlebars templates,
// and the Redis store. The schemas live in @mailq/contracts (the ingest
// validates with them). Node-only: the store uses ioredis, and Handlebars
// compiles templates with `new Function`, which Cloudflare Workers forbid, so
// rendering belongs in the relay, not in the ingest.
export {
  compileTemplate,
  renderTemplate,
  type CompiledTemplate,
  type RenderedTemplate,
  type TemplateSource,
} from './template-renderer';
export type { TemplateDelegate } from './handlebars-env';
export { TemplateStore, type ListTemplatesOptions, type TemplatePage } from './template-store';
