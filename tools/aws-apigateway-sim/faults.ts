/**
 * Switches tests flip at run time, consulted in this order for each request: expired credentials
 * (ExpiredTokenException), a denied IAM action (AccessDeniedException naming `apigateway:<METHOD>` and the
 * resource ARN, as IAM words it), the request rate (TooManyRequestsException 429 with `Retry-After`),
 * queued failures (`failNext`), then a random share of 503s.
 */
import { AwsError, serviceUnavailable, tooManyRequests } from './errors.ts';

export class Faults {
  latencyMs = 0;
  /** share of requests answered 503 ServiceUnavailableException (0..1) */
  failRate = 0;
  /** requests per second before 429; 0 = unlimited */
  rateLimit = 0;
  /** every request is refused as signed with expired credentials */
  expiredCredentials = false;
  /** IAM actions the caller lacks, e.g. `apigateway:DELETE` */
  readonly deniedActions = new Set<string>();
  private readonly queue: AwsError[] = [];
  private windowStart = 0;
  private windowCount = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** The next `n` requests fail: 429 TooManyRequests (Retry-After: 1), 503, or any other status given. */
  failNext(n: number, status = 503): void {
    for (let i = 0; i < n; i++) {
      this.queue.push(
        status === 429
          ? tooManyRequests(1)
          : status === 503
            ? serviceUnavailable()
            : new AwsError(
                status,
                status >= 500 ? 'InternalFailure' : 'BadRequestException',
                `injected failure ${status}`,
              ),
      );
    }
  }

  reset(): void {
    this.latencyMs = 0;
    this.failRate = 0;
    this.rateLimit = 0;
    this.expiredCredentials = false;
    this.deniedActions.clear();
    this.queue.length = 0;
  }

  /** The error to answer a request with, if any. */
  pick(nowMs: number, action: string, resourceArn: string, accountId: string): AwsError | undefined {
    if (this.expiredCredentials) {
      return new AwsError(
        403,
        'ExpiredTokenException',
        'The security token included in the request is expired',
      );
    }
    if (this.deniedActions.has(action)) {
      return new AwsError(
        403,
        'AccessDeniedException',
        `User: arn:aws:iam::${accountId}:user/snapgate is not authorized to perform: ${action} on resource: ${resourceArn}`,
      );
    }
    if (this.rateLimit > 0) {
      if (nowMs - this.windowStart >= 1000) {
        this.windowStart = nowMs;
        this.windowCount = 0;
      }
      this.windowCount++;
      if (this.windowCount > this.rateLimit) {
        return tooManyRequests(Math.max(1, Math.ceil((this.windowStart + 1000 - nowMs) / 1000)));
      }
    }
    const queued = this.queue.shift();
    if (queued) return queued;
    if (this.failRate > 0 && this.random() < this.failRate) return serviceUnavailable();
    return undefined;
  }
}
