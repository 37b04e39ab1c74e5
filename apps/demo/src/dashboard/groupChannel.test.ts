import { describe, expect, it } from 'vitest';
import { groupChannel } from './groupChannel.js';

describe('groupChannel', () => {
  it('groups UTM-tagged first touches by medium', () => {
    expect(groupChannel('google / cpc')).toBe('Paid ads');
    expect(groupChannel('linkedin / paidsocial')).toBe('Paid ads');
    expect(groupChannel('newsletter / email')).toBe('Email');
    expect(groupChannel('twitter / social')).toBe('Social');
    expect(groupChannel('google / organic')).toBe('Organic search');
    expect(groupChannel('partner / (none)')).toBe('Referral');
    expect(groupChannel('linkedin.com / (none)')).toBe('Social');
  });

  it('groups referrer hosts into search, social and referral', () => {
    expect(groupChannel('google.com')).toBe('Organic search');
    expect(groupChannel('bing.com')).toBe('Organic search');
    expect(groupChannel('google.co.uk')).toBe('Organic search');
    expect(groupChannel('linkedin.com')).toBe('Social');
    expect(groupChannel('t.co')).toBe('Social');
    expect(groupChannel('news.ycombinator.com')).toBe('Social');
    expect(groupChannel('g2.com')).toBe('Referral');
    expect(groupChannel('notgoogle.example')).toBe('Referral');
  });

  it('treats direct and missing channels as direct', () => {
    expect(groupChannel('direct')).toBe('Direct');
    expect(groupChannel('')).toBe('Direct');
    expect(groupChannel(undefined)).toBe('Direct');
  });
});
