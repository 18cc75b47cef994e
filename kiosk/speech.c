/* speech.c: espeak-ng behind speech.h.
 *
 * espeak-ng keeps global state, so there is one speech output per process,
 * in one mode, started once and never terminated (it cannot start again).
 * In play mode espeak-ng's own audio thread plays (AUDIO_OUTPUT_PLAYBACK);
 * in wav mode synthesis is synchronous and the samples are written as a
 * 16-bit mono WAV file, one per utterance. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <espeak-ng/speak_lib.h>
#include "speech.h"
#include "../core/hg.h"

struct speech {
	int wav;		/* 1: write files, 0: play */
	char dir[512];
	int rate;		/* samples per second */
	int count;
	FILE *out;		/* the WAV being written */
	long samples;
};

static int in_use;
static int inited;		/* 0 none, 1 play, 2 wav: espeak-ng cannot start twice */
static int inited_rate;

/* wav mode: espeak-ng hands the samples here. */
static int collect(short *wav, int n, espeak_EVENT *events)
{
	struct speech *s = events ? events->user_data : NULL;

	if (!s || !s->out || !wav || n <= 0)
		return 0;
	if (fwrite(wav, sizeof *wav, (size_t)n, s->out) != (size_t)n)
		return 1;	/* stop synthesis: the disk is full */
	s->samples += n;
	return 0;
}

static void put32(unsigned char *p, unsigned long v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

/* A 44-byte PCM WAV header for n 16-bit mono samples at rate. */
static void wav_header(unsigned char h[44], long n, int rate)
{
	memcpy(h, "RIFF", 4);
	put32(h + 4, (unsigned long)(36 + n * 2));
	memcpy(h + 8, "WAVEfmt ", 8);
	put32(h + 16, 16);
	h[20] = 1, h[21] = 0;		/* PCM */
	h[22] = 1, h[23] = 0;		/* mono */
	put32(h + 24, (unsigned long)rate);
	put32(h + 28, (unsigned long)rate * 2);
	h[32] = 2, h[33] = 0;
	h[34] = 16, h[35] = 0;
	memcpy(h + 36, "data", 4);
	put32(h + 40, (unsigned long)(n * 2));
}

int speech_open(struct speech **out, const char *mode)
{
	struct speech *s;
	int wav = strncmp(mode, "wav:", 4) == 0;

	*out = NULL;
	if (strcmp(mode, "off") == 0)
		return HG_OK;
	if (!wav && strcmp(mode, "play") != 0)
		return HG_EINVAL;
	if (in_use)
		return HG_EBUSY;
	s = calloc(1, sizeof *s);
	if (!s)
		return HG_ENOMEM;
	s->wav = wav;
	if (wav && snprintf(s->dir, sizeof s->dir, "%s", mode + 4) >= (int)sizeof s->dir) {
		free(s);
		return HG_ETOOLONG;
	}
	/* espeak-ng hangs in espeak_Terminate() after a second espeak_Initialize(),
	 * so it is started once per process, in the first mode asked for */
	if (!inited) {
		inited_rate = espeak_Initialize(wav ? AUDIO_OUTPUT_SYNCHRONOUS : AUDIO_OUTPUT_PLAYBACK,
						0, NULL, 0);
		if (inited_rate <= 0) {
			free(s);
			return HG_EIO;
		}
		if (wav)
			espeak_SetSynthCallback(collect);
		inited = wav ? 2 : 1;
	} else if (inited != (wav ? 2 : 1)) {
		free(s);
		return HG_EBUSY;
	}
	s->rate = inited_rate;
	in_use = 1;
	*out = s;
	return HG_OK;
}

int speech_say(struct speech *s, const char *text, enum lang lang)
{
	char path[600];
	unsigned char h[44];
	int rc = HG_OK;

	if (!s || !text || !*text)
		return HG_OK;
	if (espeak_SetVoiceByName(lang == LANG_ES ? "es" : "en") != EE_OK)
		return HG_EIO;
	if (!s->wav) {
		espeak_Cancel();	/* a new screen cuts the old prompt */
		if (espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
				 NULL, s) != EE_OK)
			return HG_EIO;
		s->count++;
		return HG_OK;
	}
	snprintf(path, sizeof path, "%s/speech-%03d.wav", s->dir, s->count + 1);
	s->out = fopen(path, "wb");
	if (!s->out)
		return HG_EIO;
	s->samples = 0;
	memset(h, 0, sizeof h);
	if (fwrite(h, 1, sizeof h, s->out) != sizeof h)
		rc = HG_EIO;
	if (!rc && espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL,
				s) != EE_OK)
		rc = HG_EIO;
	if (!rc) {
		wav_header(h, s->samples, s->rate);
		if (fseek(s->out, 0, SEEK_SET) != 0 || fwrite(h, 1, sizeof h, s->out) != sizeof h)
			rc = HG_EIO;
	}
	if (fclose(s->out) != 0 && !rc)
		rc = HG_EIO;
	s->out = NULL;
	if (!rc)
		s->count++;
	return rc;
}

int speech_count(const struct speech *s)
{
	return s ? s->count : 0;
}

void speech_close(struct speech *s)
{
	if (!s)
		return;
	if (!s->wav) {
		espeak_Cancel();	/* the station is closing: stop talking */
		espeak_Synchronize();
	}
	in_use = 0;
	free(s);
}
