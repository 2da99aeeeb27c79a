/**
 * A small, safe arithmetic language for modular operations ("(a*a + 3*b) % p"). It is parsed into a tree
 * and evaluated by walking it: never `eval`, never `Function`. `/` is modular division (multiplication by
 * the inverse mod p), so `a/b` is the classic division task and undefined cells (no inverse) are skipped.
 */
export type Expression =
  | { kind: 'number'; value: bigint }
  | { kind: 'variable'; name: 'a' | 'b' | 'p' }
  | { kind: 'negate'; operand: Expression }
  | { kind: 'binary'; operator: '+' | '-' | '*' | '/' | '%' | '^'; left: Expression; right: Expression };

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** 0-based character offset the message points at. */
    readonly position: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

interface Token {
  text: string;
  position: number;
}

const MAX_LENGTH = 200;

/*
 * Spaces that show as space. JavaScript's \s also matches U+FEFF (a zero-width byte-order mark), which would let
 * an invisible character through while its twin U+200B is refused: every invisible character is refused alike.
 */
const SPACE = /[^\S\uFEFF]/;
/** Controls and format characters (zero-width spaces and joiners, direction marks, soft hyphens): nothing shows. */
const INVISIBLE = /^[\p{Cc}\p{Cf}]$/u;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (SPACE.test(ch)) {
      i++;
    } else if (/[0-9]/.test(ch)) {
      const start = i;
      while (i < source.length && /[0-9]/.test(source[i])) i++;
      tokens.push({ text: source.slice(start, i), position: start });
    } else if (/[abp]/.test(ch) && !/[A-Za-z0-9_]/.test(source[i + 1] ?? '')) {
      tokens.push({ text: ch, position: i });
      i++;
    } else if ('+-*/%^()'.includes(ch)) {
      tokens.push({ text: ch, position: i });
      i++;
    } else {
      // The whole code point: source[i] is half of a surrogate pair for an emoji and would print as '�'. Everything
      // before it is ASCII (nothing else tokenizes), so i + 1 is also the position in characters.
      const codePoint = source.codePointAt(i)!;
      const invisible = INVISIBLE.test(String.fromCodePoint(codePoint)) ? ' (an invisible character)' : '';
      throw new ExpressionError(
        `unexpected ${describeCharacter(codePoint)} at position ${i + 1}${invisible}: use a, b, p, whole numbers, + - * / % ^ and parentheses`,
        i,
      );
    }
  }
  return tokens;
}

/** A character for a message: quoted when it is visible, else as U+XXXX (controls, a lone surrogate). */
function describeCharacter(codePoint: number): string {
  const character = String.fromCodePoint(codePoint);
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character)
    ? `'${character}'`
    : `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Parses an expression in a and b (and the modulus p). Throws ExpressionError pointing at the problem. */
export function parseExpression(source: string): Expression {
  if (source.length > MAX_LENGTH) {
    throw new ExpressionError(`expression is longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  }
  const tokens = tokenize(source);
  let index = 0;
  const peek = (): Token | undefined => tokens[index];
  const endPosition = source.length;
  const expect = (text: string): void => {
    const token = peek();
    if (token?.text !== text) {
      const where = token ? `'${token.text}' at position ${token.position + 1}` : 'the end';
      throw new ExpressionError(`expected '${text}' but found ${where}`, token?.position ?? endPosition);
    }
    index++;
  };

  // Precedence climbing: + - < * / % < unary - < ^ (right-associative).
  const parseSum = (): Expression => {
    let left = parseProduct();
    for (let token = peek(); token && (token.text === '+' || token.text === '-'); token = peek()) {
      index++;
      left = { kind: 'binary', operator: token.text, left, right: parseProduct() };
    }
    return left;
  };
  const parseProduct = (): Expression => {
    let left = parseUnary();
    for (
      let token = peek();
      token && (token.text === '*' || token.text === '/' || token.text === '%');
      token = peek()
    ) {
      index++;
      left = { kind: 'binary', operator: token.text, left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Expression => {
    if (peek()?.text === '-') {
      index++;
      return { kind: 'negate', operand: parseUnary() };
    }
    return parsePower();
  };
  const parsePower = (): Expression => {
    const base = parseAtom();
    if (peek()?.text === '^') {
      index++;
      return { kind: 'binary', operator: '^', left: base, right: parseUnary() };
    }
    return base;
  };
  const parseAtom = (): Expression => {
    const token = peek();
    if (!token) throw new ExpressionError('expression ends too early', endPosition);
    if (token.text === '(') {
      index++;
      const inner = parseSum();
      expect(')');
      return inner;
    }
    if (/^[0-9]+$/.test(token.text)) {
      index++;
      return { kind: 'number', value: BigInt(token.text) };
    }
    if (token.text === 'a' || token.text === 'b' || token.text === 'p') {
      index++;
      return { kind: 'variable', name: token.text };
    }
    throw new ExpressionError(`unexpected '${token.text}' at position ${token.position + 1}`, token.position);
  };

  if (tokens.length === 0) throw new ExpressionError('expression is empty', 0);
  const tree = parseSum();
  const rest = peek();
  if (rest) {
    throw new ExpressionError(`unexpected '${rest.text}' at position ${rest.position + 1}`, rest.position);
  }
  return tree;
}

export function usesDivision(expression: Expression): boolean {
  switch (expression.kind) {
    case 'number':
    case 'variable':
      return false;
    case 'negate':
      return usesDivision(expression.operand);
    case 'binary':
      return expression.operator === '/' || usesDivision(expression.left) || usesDivision(expression.right);
  }
}

function mod(value: bigint, modulus: bigint): bigint {
  const r = value % modulus;
  return r < 0n ? r + modulus : r;
}

/** Multiplicative inverse of x mod m, or null when gcd(x, m) ≠ 1. */
export function modularInverse(x: number, m: number): number | null {
  const inverse = bigModularInverse(mod(BigInt(x), BigInt(m)), BigInt(m));
  return inverse === null ? null : Number(inverse);
}

function bigModularInverse(x: bigint, m: bigint): bigint | null {
  let [oldR, r] = [x, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return oldR === 1n ? mod(oldS, m) : null;
}

function power(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = mod(base, modulus);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = mod(result * b, modulus);
    b = mod(b * b, modulus);
    e >>= 1n;
  }
  return result;
}

/**
 * Evaluates mod p. Returns null where the result is undefined (division by a non-invertible value,
 * `% 0`, or a negative exponent), so such pairs are left out of the dataset.
 */
export function evaluateExpression(expression: Expression, a: number, b: number, p: number): number | null {
  const modulus = BigInt(p);
  const walk = (node: Expression): bigint | null => {
    switch (node.kind) {
      case 'number':
        return mod(node.value, modulus);
      case 'variable':
        return mod(BigInt(node.name === 'a' ? a : node.name === 'b' ? b : p), modulus);
      case 'negate': {
        const inner = walk(node.operand);
        return inner === null ? null : mod(-inner, modulus);
      }
      case 'binary': {
        // `x % p` and exponents need the unreduced integer value, so they are evaluated exactly.
        if (node.operator === '%' || node.operator === '^') {
          const right = exactValue(node.right, a, b, p);
          if (right === null) return null;
          if (node.operator === '^') {
            const left = walk(node.left);
            return left === null || right < 0n ? null : power(left, right, modulus);
          }
          const left = exactValue(node.left, a, b, p);
          if (left === null || right === 0n) return null;
          return mod(mod(left, right), modulus);
        }
        const left = walk(node.left);
        const right = walk(node.right);
        if (left === null || right === null) return null;
        if (node.operator === '+') return mod(left + right, modulus);
        if (node.operator === '-') return mod(left - right, modulus);
        if (node.operator === '*') return mod(left * right, modulus);
        const inverse = bigModularInverse(right, modulus);
        return inverse === null ? null : mod(left * inverse, modulus);
      }
    }
  };
  const result = walk(expression);
  return result === null ? null : Number(result);
}

const EXACT_LIMIT = 10n ** 30n;

/** Exact integer value (for the operands of % and ^); null if it needs division or grows absurdly large. */
function exactValue(node: Expression, a: number, b: number, p: number): bigint | null {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'variable':
      return BigInt(node.name === 'a' ? a : node.name === 'b' ? b : p);
    case 'negate': {
      const inner = exactValue(node.operand, a, b, p);
      return inner === null ? null : -inner;
    }
    case 'binary': {
      const left = exactValue(node.left, a, b, p);
      const right = exactValue(node.right, a, b, p);
      if (left === null || right === null) return null;
      let value: bigint;
      switch (node.operator) {
        case '+':
          value = left + right;
          break;
        case '-':
          value = left - right;
          break;
        case '*':
          value = left * right;
          break;
        case '%':
          if (right === 0n) return null;
          value = left % right;
          break;
        case '^':
          if (right < 0n || right > 64n) return null;
          value = left ** right;
          break;
        case '/':
          return evaluateAsModular(node, a, b, p);
      }
      return value > EXACT_LIMIT || value < -EXACT_LIMIT ? null : value;
    }
  }
}

function evaluateAsModular(node: Expression, a: number, b: number, p: number): bigint | null {
  const value = evaluateExpression(node, a, b, p);
  return value === null ? null : BigInt(value);
}
