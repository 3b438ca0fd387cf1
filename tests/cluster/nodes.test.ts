/** What reports say about a cluster's nodes, the mirror's names, and why a pod cannot pull: pure parts. */
import { describe, expect, it } from 'vitest';
import { describeNodes, normalizeImage, readImageList } from '../../src/cluster/index.ts';
import { explainPulls } from '../../src/verify/cluster.ts';

const node = (name: string, o: { kwok?: boolean; kubelet?: string; runtime?: string; labdeck?: string } = {}) => ({
  metadata: { name, annotations: { ...(o.kwok ? { 'kwok.x-k8s.io/node': 'fake' } : {}), ...(o.labdeck ? { 'labdeck.dev/runtime': o.labdeck } : {}) } },
  status: { nodeInfo: { kubeletVersion: o.kubelet ?? 'v1.33.13', containerRuntimeVersion: o.runtime ?? 'containerd://1.6.20~ds1' } },
});

describe('describeNodes', () => {
  it("names labdeck's real node with kubelet, containerd and runc", () => {
    const k = describeNodes({ items: [node('node1', { labdeck: 'containerd 1.6.20, runc 1.1.5' })] });
    expect(k).toMatchObject({ kind: 'real', labdeck: true, realNodes: ['node1'], simulatedNodes: [] });
    expect(k.label).toBe('real node: kubelet v1.33.13, containerd 1.6.20, runc 1.1.5');
    expect(k.notice).toBeUndefined();
  });
  it('names any other cluster from its nodes, runtime version cleaned', () => {
    const k = describeNodes({ items: [node('a', { runtime: 'containerd://1.7.13' }), node('b', { runtime: 'containerd://1.7.13' })] });
    expect(k).toMatchObject({ kind: 'real', labdeck: false, label: '2 real nodes: kubelet v1.33.13, containerd 1.7.13' });
  });
  it('says simulated nodes run nothing, and mixed clusters say both', () => {
    expect(describeNodes({ items: [node('n1', { kwok: true }), node('n2', { kwok: true })] })).toMatchObject({
      kind: 'simulated',
      label: '2 simulated nodes (kwok): no container runs, pod logs are empty',
      notice: expect.stringMatching(/^Nodes are simulated by kwok: no container runs/) as unknown,
    });
    expect(describeNodes({ items: [node('r'), node('s', { kwok: true })] }).kind).toBe('mixed');
    expect(describeNodes({ items: [] })).toMatchObject({ kind: 'none', label: 'no nodes: no pod can run' });
  });
});

describe('image names', () => {
  it('normalizes as containerd does', () => {
    expect(normalizeImage('alpine')).toBe('docker.io/library/alpine:latest');
    expect(normalizeImage('nginx:alpine')).toBe('docker.io/library/nginx:alpine');
    expect(normalizeImage('containous/whoami')).toBe('docker.io/containous/whoami:latest');
    expect(normalizeImage('gcr.io/google-samples/kubernetes-bootcamp:v1')).toBe('gcr.io/google-samples/kubernetes-bootcamp:v1');
    expect(normalizeImage('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizeImage('$REGISTRY_URL/$TRG/app:v0.2')).toBeUndefined();
  });
  it('reads the mirror list of the repository', () => {
    const refs = readImageList().map((i) => i.reference);
    expect(refs).toContain('docker.io/library/alpine:latest');
    expect(refs).toContain('registry.k8s.io/pause:3.10');
    for (const i of readImageList()) expect(i.mustAnswer, i.reference).not.toBe('');
  });
});

describe('explainPulls', () => {
  const stuck = [{ pod: 'web', container: { name: 'web', image: 'nosuch', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nosuch"' } } } }];
  const events = (message: string) => ({ items: [{ involvedObject: { name: 'web' }, reason: 'Failed', message }] });
  it('on labdeck\'s node: an image the mirror lacks, and where to add it', () => {
    const why = explainPulls(stuck, events('Failed to pull image "nosuch": ... docker.io/library/nosuch:latest: not found'), true);
    expect(why).toMatch(/^pod web cannot pull image nosuch: labdeck's registry mirror does not have it \(.*images\.list lists what it has; add the image there/);
  });
  it("on labdeck's node: the mirror down", () => {
    const why = explainPulls(stuck, events('Failed to pull image "nosuch": dial tcp 198.18.0.1:5000: connect: connection refused'), true);
    expect(why).toMatch(/labdeck's registry mirror does not answer \(.*connection refused\); see labdeck cluster status/);
  });
  it('elsewhere: the error as the cluster gives it', () => {
    expect(explainPulls(stuck, events('Failed to pull image "nosuch": unauthorized'), false)).toBe('pod web cannot pull image nosuch: Failed to pull image "nosuch": unauthorized');
  });
});
