import type { ValidationIssue } from '@mailq/contracts';
import Handlebars from 'handlebars';
import { INTERNAL_HELPERS, handlebars, type CompileOptions } from './handlebars-env';

type Located = { loc?: hbs.AST.SourceLocation };

/**
 * Collects the constructs a stored template may not use. Partials and
 * decorators would need registrations the isolated environment does not have
 * (and inline partials can recurse forever), so they fail at save time rather
 * than at every send.
 */
class UnsupportedSyntax extends Handlebars.Visitor {
  readonly problems: string[] = [];

  override PartialStatement(node: hbs.AST.PartialStatement): void {
    this.report('partials ({{> name}}) are not supported', node);
  }

  override PartialBlockStatement(node: hbs.AST.PartialBlockStatement): void {
    this.report('partial blocks ({{#> name}}) are not supported', node);
  }

  override Decorator(node: hbs.AST.Decorator): void {
    this.report('decorators ({{* name}}) are not supported', node);
  }

  override DecoratorBlock(node: hbs.AST.DecoratorBlock): void {
    this.report('inline partials and decorator blocks ({{#* name}}) are not supported', node);
  }

  override MustacheStatement(node: hbs.AST.MustacheStatement): void {
    this.checkHelperName(node.path, node);
    super.MustacheStatement(node);
  }

  override BlockStatement(node: hbs.AST.BlockStatement): void {
    this.checkHelperName(node.path, node);
    super.BlockStatement(node);
  }

  override SubExpression(node: hbs.AST.SubExpression): void {
    this.checkHelperName(node.path, node);
    super.SubExpression(node);
  }

  private checkHelperName(path: hbs.AST.Expression, node: Located): void {
    if (path.type === 'PathExpression' && 'original' in path && typeof path.original === 'string') {
      if (INTERNAL_HELPERS.has(path.original)) this.report(`"${path.original}" is reserved`, node);
    }
  }

  private report(message: string, node: Located): void {
    const line = node.loc?.start.line;
    this.problems.push(line === undefined ? message : `${message} (line ${line})`);
  }
}

/**
 * Checks one part of a template (`field` is `subject`, `html` or `text`) the
 * way it will be compiled: Handlebars' parser, then the constructs refused
 * here, then a full compile with the same options (which refuses unknown
 * helpers). Returns the problems as issues naming the field, empty when fine.
 */
export function syntaxIssues(field: string, source: string, options: CompileOptions): ValidationIssue[] {
  let ast: hbs.AST.Program;
  try {
    ast = handlebars.parse(source);
  } catch (error) {
    return [{ path: field, message: errorMessage(error) }];
  }
  const visitor = new UnsupportedSyntax();
  visitor.accept(ast);
  if (visitor.problems.length > 0) return visitor.problems.map((message) => ({ path: field, message }));
  try {
    handlebars.precompile(source, options);
  } catch (error) {
    return [{ path: field, message: errorMessage(error) }];
  }
  return [];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
